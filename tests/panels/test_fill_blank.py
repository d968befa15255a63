"""The Fill the blank tab, driven as a person drives it (in-process runner unless stated)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from sklearn.metrics import accuracy_score, log_loss

from primer_gui.core.text import load_text, pairs_as_text, split_sentences, tokenize, training_pairs
from primer_gui.panels.fill_blank import PAIR_VIEWS, FillBlankPanel
from primer_gui.panels.fill_blank_probe import TOP_K
from primer_gui.paths import resource

# The kinds of word in the bundled corpus, written out here independently of resources/word_kinds.json.
KINDS = {
    "animal": "cat dog horse cow sheep pig goat rabbit mouse duck fox hen",
    "person": "boy girl man woman baker farmer teacher child",
    "food": "bread cheese meat fish apple rice soup cake carrot egg corn grass",
    "place": "kitchen garden park farm forest field barn market yard street",
    "furniture": "sofa chair table bed bench rug shelf desk",
    "verb": "sleeps naps lies sits runs walks goes jumps eats likes finds wants cooks buys cuts sells bakes reads "
    "waits play feeds puts",
    "adjective": "small big old young brown white fresh warm sweet good",
}
KIND_OF = {word: kind for kind, words in KINDS.items() for word in words.split()}


@pytest.fixture
def panel(shown_panel):
    return shown_panel(FillBlankPanel)


def held_out_lines():
    """Every fifth line of the bundled corpus, less those that also occur among the other lines."""
    lines = split_sentences(load_text(resource("corpus.txt")))
    training = {line for i, line in enumerate(lines) if i % 5}
    return [line for i, line in enumerate(lines) if i % 5 == 0 and line not in training]


def params_equal(a, b):
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])


# -- the pairs: labels made from the text -----------------------------------------------------------
def test_the_pairs_are_every_word_hidden_in_turn_with_no_label_typed(panel):
    trainer = panel.runner.trainer
    lines = split_sentences(load_text(resource("corpus.txt")))
    training_lines = [line for i, line in enumerate(lines) if i % 5]
    assert trainer.n_points == sum(len(tokenize(line)) for line in training_lines)  # one pair per word
    panel.pairs_view.setCurrentText(PAIR_VIEWS[1])
    expected = pairs_as_text(trainer.X[:20], trainer.y[:20], trainer.vocabulary)
    assert [panel.pairs_table.text(i) for i in range(20)] == expected
    assert expected[0] == ("___ is a", "there")  # "there is a shelf in the street": line 2 (line 1 is held out)
    assert f"{trainer.n_points:,} pairs made from 3,200 sentences" in panel.pairs_label.text()


def test_a_step_shows_its_batch_in_the_pairs_list(panel, qtbot):
    qtbot.mouseClick(panel.controls.step_button, Qt.MouseButton.LeftButton)
    batch = panel.runner.report.batch
    assert len(batch) == 64
    assert panel.pairs_view.currentText() == "the latest batch"
    assert panel.pairs_table.shown_rows() == batch.tolist()
    panel.pairs_view.setCurrentText("all pairs")
    assert len(panel.pairs_table.shown_rows()) == panel.runner.trainer.n_points
    assert panel.pairs_table.marked == set(batch.tolist())
    for _ in range(3):
        panel.step()
    assert panel.pairs_table.marked == set(panel.runner.report.batch.tolist())


# -- the sentence box ----------------------------------------------------------------------------------
def test_the_guesses_for_a_typed_sentence_are_the_models_and_move_while_it_trains(panel, qtbot):
    panel.sentence_edit.clear()
    qtbot.keyClicks(panel.sentence_edit, "the ___ eats cheese in the barn")
    panel.runner.step(300)
    expected = panel.runner.trainer.predict_masked("the ___ eats cheese in the barn", TOP_K)
    assert panel.guess_bars.shown_labels() == [f"{word}  {100 * p:.1f} %" for word, p in expected]
    np.testing.assert_allclose(panel.guess_bars._values, [p for _, p in expected])
    for _ in range(10):  # ~3 400 more steps, by the fast path
        panel.one_epoch()
    trained = panel.runner.trainer.predict_masked("the ___ eats cheese in the barn", TOP_K)
    assert trained != expected
    assert all(KIND_OF.get(word) == "animal" for word, _ in trained[:3])  # it learned where animals go
    assert panel.guess_bars.shown_labels()[0].startswith(trained[0][0] + " ")


def test_unknown_and_out_of_window_words_are_shown_as_such(panel):
    panel.sentence_edit.setText("yes a zebra ___ on the sofa today")
    seen = panel.seen_label.text()
    assert "<s>zebra</s> (unknown)" in seen and "1 unknown" in seen
    assert "<b>a</b>" in seen  # window 2: "a", the 2nd word on the left, is inside
    assert "<span style='color:gray'>yes</span>" in seen  # the 3rd is not
    assert "<span style='color:gray'>sofa</span>" in seen  # 3rd word right: outside the window
    panel.sentence_edit.setText("no blank here")
    assert "Put one ___" in panel.seen_label.text()
    assert panel.guess_bars.note.isVisible()
    assert "exactly one ___" in panel.guess_bars.note.toPlainText()  # the model's own refusal


# -- the step inspector ----------------------------------------------------------------------------------
def test_the_inspector_shows_the_hidden_words_probability_before_and_after_the_step(panel, qtbot):
    panel.runner.step(50)
    qtbot.mouseClick(panel.controls.step_button, Qt.MouseButton.LeftButton)
    report = panel.runner.report
    trainer = panel.runner.trainer
    contexts, targets = trainer.X[report.batch], trainer.y[report.batch]
    W_before = report.params_before
    # the probabilities, by the model's own predict_proba at the parameters before and after
    probe_model = type(trainer).from_state_dict(trainer.state_dict())
    probe_model.set_params(**W_before)
    before = probe_model.predict_proba(contexts)[np.arange(len(targets)), targets]
    after = trainer.predict_proba(contexts)[np.arange(len(targets)), targets]
    text = panel.inspector.toPlainText()
    assert f"{report.loss:.4g}" in text and f"{before.mean():.3f} → {after.mean():.3f}" in text
    assert report.loss == pytest.approx(-np.log(before).mean(), rel=1e-9)
    first = pairs_as_text(contexts[:1], targets[:1], trainer.vocabulary)[0]
    assert first[0] in text and f"{before[0]:.3f}" in text and f"{after[0]:.3f}" in text
    assert "64 of 21,731 pairs (a mini-batch)" in text


# -- held-out measures -------------------------------------------------------------------------------------
def test_held_out_loss_and_accuracies_agree_with_scikit_learn(panel):
    panel.runner.step(400)
    trainer = panel.runner.trainer
    contexts, targets = training_pairs([tokenize(line) for line in held_out_lines()], trainer.vocabulary, 2)
    probabilities = trainer.predict_proba(contexts)
    predicted = probabilities.argmax(axis=1)
    words = np.array(trainer.vocabulary.words)
    history = panel.runner.history
    V = len(words)
    assert history.latest("held-out loss") == pytest.approx(
        log_loss(targets, probabilities, labels=np.arange(V)), rel=1e-6
    )
    assert history.latest("right word") == pytest.approx(accuracy_score(targets, predicted))
    kinds = np.array([KIND_OF.get(word, "") for word in words])
    known = kinds[targets] != ""
    assert history.latest("right kind") == pytest.approx(accuracy_score(kinds[targets[known]], kinds[predicted[known]]))
    assert history.latest("loss") == pytest.approx(trainer.loss(), rel=1e-12)  # the whole training set


def test_through_the_real_process_it_fills_held_out_blanks_with_the_right_kind_of_word(qtbot):
    panel = FillBlankPanel(threaded=True)
    qtbot.addWidget(panel)
    panel.show()
    panel.toggle_play()
    # ~2 500 steps: about a second of bare training here (see benchmarks/bench_words.py for the seconds)
    qtbot.waitUntil(lambda: panel.runner.latest.step >= 2500, timeout=60_000)
    panel.toggle_play()
    qtbot.waitUntil(lambda: not panel.runner.playing, timeout=5000)
    trainer = panel.runner.trainer
    contexts, targets = training_pairs([tokenize(line) for line in held_out_lines()], trainer.vocabulary, 2)
    words = trainer.vocabulary.words
    kinds = np.array([KIND_OF.get(words[t], "") for t in targets])
    known = kinds != ""
    guessed = np.array([KIND_OF.get(words[p], "") for p in trainer.predict(contexts[known])])
    right_kind = float(np.mean(guessed == kinds[known]))
    assert right_kind >= 0.8
    qtbot.waitUntil(lambda: panel.runner.history.latest("right kind") >= 0.8, timeout=5000)
    assert panel.shutdown()


# -- the text -------------------------------------------------------------------------------------------------
def test_a_loaded_text_file_is_learned_from_and_undo_brings_back_the_model_as_it_was(panel, tmp_path):
    panel.runner.step(30)
    before = panel.runner.trainer
    path = tmp_path / "notes.txt"
    path.write_text("The cat sat on the mat.\nThe dog sat on the rug.\nA cat ate the fish. A dog ate the meat.\n")
    assert panel.load_corpus_file(path)
    trainer = panel.runner.trainer
    assert trainer.step_count == 0 and trainer.vocabulary.words[2] == "the"
    assert len(trainer.vocabulary) == 2 + 11
    assert panel.corpus_box.editor.toPlainText() == path.read_text()
    assert "notes.txt" in panel.corpus_box.source_label.text()
    assert "<b>11</b> different words" in panel.corpus_box.facts.text()
    assert "all learned from (too few to hold some out)" in panel.corpus_box.facts.text()
    assert panel.undo_stack.undoText() == "use notes.txt"
    panel.runner.step(5)
    panel.undo_stack.undo()
    restored = panel.runner.trainer
    assert restored.step_count == 30 and restored.vocabulary.words == before.vocabulary.words
    params_equal(restored.params, before.params)
    assert len(panel.runner.history) == len(panel.runner.history.steps) > 1  # the loss history came back too
    assert panel.corpus_box.editor.toPlainText() == load_text(resource("corpus.txt"))
    panel.undo_stack.redo()
    assert panel.runner.trainer.step_count == 5  # the new text's model, as it was left


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "binary file"),
        (b"", "no words"),
        (b"hello", "no training pairs"),
        ("canapé".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_bad_file_is_refused_with_a_reason_and_changes_nothing(panel, tmp_path, data, reason):
    panel.runner.step(10)
    params = panel.runner.trainer.params
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    assert not panel.load_corpus_file(path)
    assert panel.message.isVisible()
    assert reason in panel.message.text.text() and "Nothing was changed" in panel.message.text.text()
    params_equal(panel.runner.trainer.params, params)
    assert panel.runner.trainer.step_count == 10 and panel.undo_stack.count() == 0
    assert panel.corpus_box.editor.toPlainText() == load_text(resource("corpus.txt"))


def test_an_edited_text_is_used_when_asked(panel, qtbot):
    assert not panel.corpus_box.apply_button.isEnabled()
    panel.corpus_box.editor.setPlainText("the fox naps in the den\nthe owl naps in the tree\n")
    assert panel.corpus_box.apply_button.isEnabled() and "edited" in panel.corpus_box.source_label.text()
    qtbot.mouseClick(panel.corpus_box.apply_button, Qt.MouseButton.LeftButton)
    assert "owl" in panel.runner.trainer.vocabulary
    assert not panel.corpus_box.apply_button.isEnabled()
    qtbot.mouseClick(panel.corpus_box.default_button, Qt.MouseButton.LeftButton)
    assert "owl" not in panel.runner.trainer.vocabulary and len(panel.runner.trainer.vocabulary) == 93


def test_the_embedding_size_and_window_build_a_new_model_undoably(panel):
    panel.embedding_box.setValue(5)
    trainer = panel.runner.trainer
    assert trainer.embedding_dim == 5 and trainer.params["embeddings"].shape == (93, 5)
    panel.window_box.setValue(1)
    assert panel.runner.trainer.window == 1 and panel.runner.trainer.X.shape[1] == 2
    assert panel.undo_stack.undoText() == "change the window"
    panel.undo_stack.undo()
    panel.undo_stack.undo()
    assert panel.runner.trainer.embedding_dim == 16 and panel.embedding_box.value() == 16
    assert panel.window_box.value() == 2


# -- sessions -------------------------------------------------------------------------------------------------
def test_a_session_restores_the_text_vocabulary_weights_and_histories_exactly(panel, tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("\n".join(f"the {a} sees the {b}" for a in ["cat", "dog", "owl"] for b in ["sun", "moon", "sea"]))
    panel.load_corpus_file(path)
    panel.sentence_edit.setText("the ___ sees the moon")
    panel.runner.step(40)
    state = json.loads(json.dumps(panel.session_state()))
    trainer = panel.runner.trainer
    history = {name: panel.runner.history.values(name).copy() for name in panel.runner.history.series}
    other = FillBlankPanel(threaded=False)
    try:
        other.load_session_state(state)
        restored = other.runner.trainer
        assert other.corpus.text == panel.corpus.text and other.source == "words.txt"
        assert restored.vocabulary.words == trainer.vocabulary.words
        assert restored.vocabulary.counts == trainer.vocabulary.counts
        params_equal(restored.params, trainer.params)
        for name, values in history.items():
            np.testing.assert_array_equal(other.runner.history.values(name), values)
        assert other.sentence_edit.text() == "the ___ sees the moon"
        assert other.runner.probe.sentence == "the ___ sees the moon"
        assert other.corpus_box.editor.toPlainText() == panel.corpus.text
    finally:
        other.shutdown()
        other.deleteLater()


def test_a_session_whose_text_and_trainer_disagree_is_refused(panel):
    state = json.loads(json.dumps(panel.session_state()))
    panel.runner.step(3)
    params = panel.runner.trainer.params
    damaged = [
        {**state, "corpus": {"text": "the cat sat on the mat", "source": "x"}},
        {**state, "corpus": {"text": 3}},
        {key: value for key, value in state.items() if key != "corpus"},
    ]
    for bad in damaged:
        with pytest.raises(ValueError, match="Fill the blank part is damaged"):
            panel.load_session_state(bad)
    params_equal(panel.runner.trainer.params, params)


def test_through_the_real_process_a_new_text_and_its_undo_arrive(qtbot, tmp_path):
    panel = FillBlankPanel(threaded=True)
    qtbot.addWidget(panel)
    panel.show()
    try:
        panel.runner.step(20)
        qtbot.waitUntil(lambda: panel.runner.latest.step == 20, timeout=10_000)
        before = panel.runner.trainer.params
        path = tmp_path / "notes.txt"
        path.write_text("the owl hoots at night\nthe owl sleeps by day\n")
        assert panel.load_corpus_file(path)
        qtbot.waitUntil(lambda: panel.runner.latest.loads == panel.runner.loads_sent, timeout=10_000)
        assert "owl" in panel.runner.trainer.vocabulary and panel.runner.latest.step == 0
        panel.undo_stack.undo()
        qtbot.waitUntil(lambda: panel.runner.latest.loads == panel.runner.loads_sent, timeout=10_000)
        assert panel.runner.latest.step == 20
        params_equal(panel.runner.trainer.params, before)
    finally:
        assert panel.shutdown()


def test_a_file_far_too_large_is_refused_before_it_is_read(panel, tmp_path, monkeypatch):
    import primer_gui.panels.word_panel as word_panel

    monkeypatch.setattr(word_panel, "MAX_CHARACTERS", 10)
    path = tmp_path / "book.txt"
    path.write_text("the cat sat on the mat\n" * 5)
    assert not panel.load_corpus_file(path)
    assert "at most 10 characters can be learned from here" in panel.message.text.text()
    assert panel.undo_stack.count() == 0
