"""What the word tabs compute next to their trainer (Qt-free): the corpus split, the model, the sampled loss."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from primer_gui.core import MaskedWordModel
from primer_gui.core.text import load_text
from primer_gui.panels.fill_blank_probe import FillBlankProbe
from primer_gui.panels.words_probe import (
    MAX_WORDS,
    Corpus,
    WordProbe,
    build_model,
    held_out_pairs,
    kind_accuracy,
    kind_indices,
    last_batch,
    load_kinds,
    min_count_for,
    sample_size,
)
from primer_gui.paths import resource


def test_one_sentence_in_five_is_held_out_unless_it_is_also_a_training_sentence():
    lines = [f"line {i} of text" for i in range(20)] + ["line 1 of text"]  # line 20 repeats line 1
    corpus = Corpus.from_text("\n".join(lines))
    assert corpus.training == tuple(line for i, line in enumerate(lines) if i % 5)
    assert corpus.held_out == ("line 0 of text", "line 5 of text", "line 10 of text", "line 15 of text")
    short = Corpus.from_text("a b\nc d\ne f")
    assert short.training == short.sentences and short.held_out == ()
    assert Corpus.from_text("a b\n" * 20, hold_out=False).held_out == ()
    with pytest.raises(ValueError, match="no words"):
        Corpus.from_text(" ... !! ")


def test_a_large_vocabulary_keeps_its_commonest_words():
    assert min_count_for([5, 4, 4, 3, 1], max_words=3) == 4  # the 4th commonest (3 uses) and rarer drop out
    assert min_count_for([5, 4, 4, 3, 1], max_words=2) == 5  # a tie at the edge: both 4s go, never one of them
    assert min_count_for([2, 1], max_words=2) == 1
    rng = np.random.default_rng(0)
    lines = [" ".join(f"w{i}" for i in rng.integers(0, 8000, 6)) for _ in range(5000)]
    model = build_model(Corpus.from_text("\n".join(lines), hold_out=False))
    assert len(model.vocabulary) - 2 <= MAX_WORDS < len({w for line in lines for w in line.split()})
    reference = MaskedWordModel(lines, min_count=model.min_count)  # exactly the model built with that min_count
    assert reference.vocabulary.words == model.vocabulary.words
    np.testing.assert_array_equal(reference.X, model.X)


def test_the_loss_of_a_large_text_is_measured_on_a_fixed_sample_and_said_so():
    model = MaskedWordModel(["the cat sat on the mat", "the dog sat on the rug"] * 50, batch_size=8)
    small = WordProbe(model.vocabulary.words, {}, model.n_points)
    assert not small.loss_is_sampled and small.loss(model) == model.loss()
    probe = WordProbe(model.vocabulary.words * 600, {}, 5_000_000)  # a "vocabulary" of ~5 000 words
    assert probe.loss_is_sampled and len(probe.loss_sample) == sample_size(len(probe.words)) < 5_000_000
    probe.loss_sample = np.arange(0, model.n_points, 7)
    sample = probe.loss_sample
    assert probe.loss(model) == pytest.approx(model.evaluate(model.X[sample], model.y[sample])[0])
    assert probe.params(model) == {}  # snapshots carry no weights


def test_last_batch_is_the_pairs_the_latest_update_used():
    model = MaskedWordModel(["the cat sat on the mat", "the dog sat on the rug"] * 5, batch_size=8)
    assert last_batch(model, 100).size == 0
    for _ in range(9):  # across an epoch's end (60 pairs: 8 batches, the last of 4)
        report = model.step()
        np.testing.assert_array_equal(last_batch(model, 100), report.batch)
    np.testing.assert_array_equal(last_batch(model, 3), report.batch[:3])
    model.batch_size = None
    report = model.step()
    np.testing.assert_array_equal(last_batch(model, 1000), report.batch)


def test_held_out_measures_count_kinds_only_where_the_word_list_knows_them():
    kinds = {"animal": ["cat", "dog"], "furniture": ["mat", "rug"]}
    words = ["<pad>", "<unk>", "the", "cat", "dog", "mat", "rug"]
    kind = kind_indices(words, kinds)
    assert kind.tolist() == [-1, -1, -1, 0, 0, 1, 1]
    targets = np.array([3, 5, 2, 4])
    predicted = np.array([4, 2, 2, 6])  # cat→dog (right kind), mat→the (wrong), the→the (no kind), dog→rug (wrong)
    assert kind_accuracy(kind, targets, predicted) == pytest.approx(1 / 3)
    assert np.isnan(kind_accuracy(kind, np.array([2]), np.array([2])))


def test_the_fill_blank_probe_measures_held_out_sentences_with_the_model():
    corpus = Corpus.from_text(load_text(resource("corpus.txt")))
    model = build_model(corpus)
    model.run(500)
    contexts, targets = held_out_pairs(model, corpus)
    probe = FillBlankProbe(model.vocabulary.words, load_kinds(), model.n_points, contexts, targets, "the ___ naps")
    loss, right_word, right_kind = probe.metrics(model)
    expected_loss, predicted, _ = model.evaluate(contexts, targets)
    assert loss == expected_loss and right_word == np.mean(predicted == targets)
    assert right_kind == kind_accuracy(probe.kind, targets, predicted)
    extra = probe.extra(model)
    assert extra["guesses"] == model.predict_masked("the ___ naps", 8)
    probe.configure(sentence="no blank")
    assert "exactly one ___" in probe.extra(model)["problem"]


def test_the_word_probes_load_no_qt_in_the_trainers_process():
    script = (
        "import sys\n"
        "import primer_gui.panels.fill_blank_probe, primer_gui.panels.embeddings_probe\n"
        "gui = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]\n"
        "assert not gui, gui\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
