"""text: tokenizer, sentences, vocabulary, the made-up (context → hidden word) pairs, loading files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from primer_gui.core.text import (
    Vocabulary,
    load_text,
    pairs_as_text,
    split_sentences,
    tokenize,
    training_pairs,
)
from primer_gui.paths import resource


def test_tokenize_lowercases_and_drops_punctuation_but_keeps_inner_apostrophes():
    assert tokenize("The Cat's toy, Sofa!  don't-stop 42 ___ café") == [
        "the",
        "cat's",
        "toy",
        "sofa",
        "don't",
        "stop",
        "42",
        "café",
    ]
    assert tokenize("  ...  ") == []


def test_split_sentences_on_line_breaks_and_end_punctuation():
    text = "The cat sleeps. A dog runs!\n\nIs it raining?  yes\nno full stop here"
    assert split_sentences(text) == ["The cat sleeps.", "A dog runs!", "Is it raining?", "yes", "no full stop here"]
    assert split_sentences("3.5 apples") == ["3.5 apples"]


def test_vocabulary_orders_by_count_and_maps_rare_words_to_unk():
    sentences = [["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "cat"]]
    vocabulary = Vocabulary.build(sentences, min_count=2)
    assert vocabulary.words == ["<pad>", "<unk>", "cat", "sat", "the"]
    assert vocabulary.counts == [0, 2, 2, 2, 2]
    assert vocabulary.encode(["the", "dog", "zebra"]) == [4, 1, 1]
    assert "cat" in vocabulary and "dog" not in vocabulary and "<unk>" not in vocabulary
    assert len(Vocabulary.build(sentences)) == 2 + 5


def test_pairs_on_a_tiny_example_hide_each_word_and_pad_the_edges():
    sentences = [tokenize("the cat sat on the mat"), tokenize("dog")]
    vocabulary = Vocabulary.build(sentences)
    contexts, targets = training_pairs(sentences, vocabulary, window=2)
    assert contexts.shape == (6, 4)  # the one-word sentence has no context, so it gives no pair
    readable = pairs_as_text(contexts, targets, vocabulary)
    assert readable == [
        ("___ cat sat", "the"),
        ("the ___ sat on", "cat"),
        ("the cat ___ on the", "sat"),
        ("cat sat ___ the mat", "on"),
        ("sat on ___ mat", "the"),
        ("on the ___", "mat"),
    ]
    the, cat, sat = (vocabulary.index(w) for w in ("the", "cat", "sat"))
    assert contexts[0].tolist() == [0, 0, cat, sat]
    assert contexts[1].tolist() == [0, the, sat, vocabulary.index("on")]


def test_rare_hidden_words_make_no_pair_but_still_count_as_context():
    sentences = [tokenize("the cat sat"), tokenize("the cat ran")]
    vocabulary = Vocabulary.build(sentences, min_count=2)
    contexts, targets = training_pairs(sentences, vocabulary, window=1)
    readable = pairs_as_text(contexts, targets, vocabulary)
    assert readable == [("___ cat", "the"), ("the ___ <unk>", "cat"), ("___ cat", "the"), ("the ___ <unk>", "cat")]


def test_load_text_reads_utf8_and_refuses_binary_undecodable_and_empty_files(tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes("\ufeffLe chat dort sur le canapé.\n".encode())
    assert load_text(good) == "Le chat dort sur le canapé.\n"
    cases = {
        "picture.png": (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "binary file .*NUL"),
        "latin1.txt": ("canapé".encode("latin-1"), "not UTF-8 text"),
        "empty.txt": (b"", "no words"),
        "blank.txt": (b" \n\t.,!\n", "no words"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ValueError, match=f"{name} .*{message}"):
            load_text(path)


@settings(deadline=None)  # a busy machine can take longer than hypothesis's 200 ms over one file
@given(st.binary(max_size=200))
def test_any_bytes_either_load_as_text_with_words_or_give_a_value_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.txt"
        path.write_bytes(data)
        try:
            text = load_text(path)
        except ValueError as error:
            assert "any.txt" in str(error)
        else:
            assert tokenize(text)
            assert "\0" not in text


def test_the_bundled_corpus_is_small_utf8_sentences():
    path = resource("corpus.txt")
    assert path.stat().st_size < 300_000
    sentences = split_sentences(load_text(path))
    assert 2000 <= len(sentences) <= 10_000
    vocabulary = Vocabulary.build([tokenize(s) for s in sentences])
    assert 50 <= len(vocabulary) <= 500
    contexts, targets = training_pairs([tokenize(s) for s in sentences[:10]], vocabulary, window=2)
    assert contexts.dtype == np.int64 and targets.size == sum(len(tokenize(s)) for s in sentences[:10])


def _pairs_one_by_one(tokenized_sentences, vocabulary, window):
    """The made-up pairs written out word by word: the reference for the vectorised training_pairs."""
    contexts, targets = [], []
    for sentence in tokenized_sentences:
        padded = [0] * window + vocabulary.encode(sentence) + [0] * window
        for position in range(window, len(padded) - window):
            context = padded[position - window : position] + padded[position + 1 : position + window + 1]
            if padded[position] != 1 and any(context):
                contexts.append(context)
                targets.append(padded[position])
    return np.array(contexts, dtype=np.int64).reshape(-1, 2 * window), np.array(targets, dtype=np.int64)


@settings(deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=7), max_size=8),
    st.integers(1, 3),
    st.integers(1, 3),
)
def test_training_pairs_equal_the_word_by_word_reference(sentences, window, min_count):
    vocabulary = Vocabulary.build(sentences, min_count)
    contexts, targets = training_pairs(sentences, vocabulary, window)
    expected_contexts, expected_targets = _pairs_one_by_one(sentences, vocabulary, window)
    assert contexts.dtype == targets.dtype == np.int64
    np.testing.assert_array_equal(contexts, expected_contexts)
    np.testing.assert_array_equal(targets, expected_targets)


def test_training_pairs_of_the_bundled_corpus_equal_the_reference():
    sentences = [tokenize(s) for s in split_sentences(load_text(resource("corpus.txt")))]
    vocabulary = Vocabulary.build(sentences)
    for window in (1, 2, 4):
        for got, expected in zip(
            training_pairs(sentences, vocabulary, window), _pairs_one_by_one(sentences, vocabulary, window), strict=True
        ):
            np.testing.assert_array_equal(got, expected)
