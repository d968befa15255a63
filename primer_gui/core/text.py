"""Text for self-supervised learning: sentences, words, a vocabulary and the made-up labels.

Nobody labels anything here.  From each raw sentence we *make* training
examples by hiding one word and keeping the words around it::

    "the cat sleeps on the sofa", window 2  →  (the, cat, ___, on, the) → sleeps

Contexts have a fixed width: ``window`` words on each side of the hidden word,
left first.  At a sentence's edges the missing places are filled with the
``<pad>`` token (index 0), which the model ignores when it averages the context,
so a context near an edge is simply shorter.  Words seen fewer than
``min_count`` times become ``<unk>`` (index 1); they still count as context,
but a hidden ``<unk>`` is not made into an example (there is nothing to learn
from "guess the rare word").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

PAD = "<pad>"
UNKNOWN = "<unk>"
SPECIAL_TOKENS = (PAD, UNKNOWN)

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")  # letters and digits, with inner apostrophes ("don't")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def tokenize(text: str) -> list[str]:
    """Lower-case words; punctuation and underscores separate words and are dropped."""
    return _WORD.findall(text.lower())


def split_sentences(text: str) -> list[str]:
    """Sentences: a line break, or ``.``/``!``/``?`` followed by white space, ends one; blank ones are dropped."""
    return [sentence.strip() for sentence in _SENTENCE_END.split(text) if sentence.strip()]


def load_text(path: str | Path) -> str:
    """Read a UTF-8 text file, refusing binary or empty files with a sentence that says which."""
    path = Path(path)
    data = path.read_bytes()
    if b"\0" in data:
        raise ValueError(f"{path.name} looks like a binary file (it contains NUL bytes); choose a plain text file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path.name} is not UTF-8 text (undecodable byte at position {error.start}); save it as UTF-8 and retry."
        ) from None
    if not tokenize(text):
        raise ValueError(f"{path.name} has no words in it; choose a file with some sentences.")
    return text


class Vocabulary:
    """Words ↔ indices: ``<pad>`` is 0, ``<unk>`` is 1, then words by falling count (ties alphabetically)."""

    def __init__(self, words: Sequence[str], counts: Sequence[int]):
        if list(words[:2]) != list(SPECIAL_TOKENS) or len(words) != len(counts) or len(set(words)) != len(words):
            raise ValueError("A vocabulary is <pad>, <unk>, then distinct words, each with a count.")
        self.words = list(words)
        self.counts = [int(count) for count in counts]
        self._index = {word: index for index, word in enumerate(self.words)}

    @classmethod
    def build(cls, tokenized_sentences: Iterable[Sequence[str]], min_count: int = 1) -> Vocabulary:
        """Every word seen at least ``min_count`` times; the rest are counted under ``<unk>``."""
        counter = Counter(word for sentence in tokenized_sentences for word in sentence)
        kept = sorted((word for word, count in counter.items() if count >= min_count), key=lambda w: (-counter[w], w))
        rare = sum(count for count in counter.values() if count < min_count)
        return cls([*SPECIAL_TOKENS, *kept], [0, rare, *(counter[word] for word in kept)])

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self._index and word not in SPECIAL_TOKENS

    def index(self, word: str) -> int:
        """The word's index, or ``<unk>``'s for a word not in the vocabulary."""
        return self._index.get(word, 1)

    def encode(self, tokens: Sequence[str]) -> list[int]:
        return [self.index(word) for word in tokens]


def training_pairs(
    tokenized_sentences: Iterable[Sequence[str]], vocabulary: Vocabulary, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """The made-up labels: ``contexts`` (n, 2·window) word indices and ``targets`` (n,) hidden-word indices.

    One example per word of every sentence, except hidden ``<unk>`` words and
    words with no other word around them (a one-word sentence).
    """
    # One flat array: every sentence preceded by ``window`` pads (and the last followed by them), so a
    # context never reaches into the next sentence; each real word's context is a slice of it.
    sentences = list(tokenized_sentences)
    lengths = np.fromiter((len(sentence) for sentence in sentences), dtype=np.int64, count=len(sentences))
    total = int(lengths.sum())
    if not total:
        return np.zeros((0, 2 * window), dtype=np.int64), np.zeros(0, dtype=np.int64)
    lookup = vocabulary._index.get
    words = np.fromiter((lookup(word, 1) for word in itertools.chain.from_iterable(sentences)), np.int64, total)
    before = np.concatenate([[0], np.cumsum(lengths[:-1])])  # words in the sentences before each one
    starts = window + before + window * np.arange(len(sentences))  # each sentence's first word in ``flat``
    flat = np.zeros(int(starts[-1] + lengths[-1] + window), dtype=np.int64)
    positions = np.repeat(starts - before, lengths) + np.arange(total)
    flat[positions] = words
    windows = np.lib.stride_tricks.sliding_window_view(flat, 2 * window + 1)[positions - window]
    contexts = np.concatenate([windows[:, :window], windows[:, window + 1 :]], axis=1)
    keep = (words != 1) & (contexts != 0).any(axis=1)
    return np.ascontiguousarray(contexts[keep]), words[keep].copy()


def pairs_as_text(contexts: np.ndarray, targets: np.ndarray, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """Readable pairs: ``("the cat ___ on the", "sleeps")``; padding is left out."""
    half = contexts.shape[1] // 2
    readable = []
    for context, target in zip(contexts, targets, strict=True):
        words = [vocabulary.words[i] for i in context[:half] if i] + ["___"]
        words += [vocabulary.words[i] for i in context[half:] if i]
        readable.append((" ".join(words), vocabulary.words[target]))
    return readable
