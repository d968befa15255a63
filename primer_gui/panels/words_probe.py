"""What both word tabs share next to their trainer: the corpus, the model built from it, the kinds of word.

Qt-free: the probes here run in the trainer's process.

* :class:`Corpus` is a text split into sentences, and into the sentences the
  model trains on and those it never sees (held out, to measure how it does on
  text it has not learned by heart).
* :func:`build_model` makes the :class:`~primer_gui.core.MaskedWordModel` for a
  corpus; a large text keeps its commonest ``MAX_WORDS`` words and counts the
  rarer ones as unknown.
* :class:`WordProbe` records the loss (an estimate on a fixed sample of pairs
  when the text is too large for a full pass every recording) and knows each
  vocabulary word's kind (animal, food…), where the kinds list has it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core import MaskedWordModel
from ..core.text import SPECIAL_TOKENS, split_sentences, tokenize, training_pairs
from ..core.trainer import Trainer
from ..paths import resource
from ..training.probe import Probe

#: the largest vocabulary: rarer words count as unknown
MAX_WORDS = 5000
#: one sentence in this many is held out (texts with at least ``MIN_SENTENCES_TO_HOLD_OUT`` sentences)
HELD_OUT_EVERY = 5
MIN_SENTENCES_TO_HOLD_OUT = 10
#: a recording of the loss (and of the held-out measures) looks at about this many (pair × vocabulary word)
#: logits at most: beyond, it takes a fixed random sample of the pairs (never fewer than ``MIN_SAMPLE``)
LOSS_LOGITS = 5_000_000
MIN_SAMPLE = 1000
#: the held-out pairs measured at each recording, at most
MAX_HELD_OUT_PAIRS = 5000
#: the largest text a person may load (characters)
MAX_CHARACTERS = 20_000_000

#: the tab's own defaults for the word model (the trainer's learning rate of 0.1 takes ten times as long)
LEARNING_RATE = 1.0
BATCH_SIZE = 64
EMBEDDING_DIM = 16
WINDOW = 2


@dataclass(frozen=True)
class Corpus:
    text: str
    sentences: tuple[str, ...]
    training: tuple[str, ...]
    held_out: tuple[str, ...]

    @classmethod
    def from_text(cls, text: str, hold_out: bool = True) -> Corpus:
        """Split ``text``; with ``hold_out``, every ``HELD_OUT_EVERY``-th sentence is held out.

        A held-out sentence that also occurs among the training ones is dropped from the
        held-out set (it would be a question the model has seen the answer to).
        Raises ValueError for a text with no words or too many characters.
        """
        if not isinstance(text, str):
            raise ValueError("the corpus must be text")
        if len(text) > MAX_CHARACTERS:
            raise ValueError(
                f"the text has {len(text):,} characters; at most {MAX_CHARACTERS:,} can be learned from here"
            )
        sentences = tuple(split_sentences(text))
        if not any(tokenize(sentence) for sentence in sentences):
            raise ValueError("the text has no words in it")
        if not hold_out or len(sentences) < MIN_SENTENCES_TO_HOLD_OUT:
            return cls(text, sentences, sentences, ())
        training = tuple(s for i, s in enumerate(sentences) if i % HELD_OUT_EVERY)
        seen = set(training)
        held_out = tuple(s for i, s in enumerate(sentences) if i % HELD_OUT_EVERY == 0 and s not in seen)
        return cls(text, sentences, training, held_out)


def min_count_for(counts: list[int], max_words: int = MAX_WORDS) -> int:
    """The smallest ``min_count`` that keeps at most ``max_words`` of words seen ``counts`` times."""
    counts = sorted(counts, reverse=True)
    if len(counts) <= max_words:
        return 1
    return counts[max_words] + 1  # the (max_words + 1)-th commonest word, and every word as rare, drop out


def build_model(
    corpus: Corpus,
    *,
    embedding_dim: int = EMBEDDING_DIM,
    window: int = WINDOW,
    learning_rate: float = LEARNING_RATE,
    batch_size: int | None = BATCH_SIZE,
    seed: int = 0,
) -> MaskedWordModel:
    """The word model for ``corpus``'s training sentences; raises ValueError (a sentence) if it cannot be built.

    Every word is kept unless there are more than ``MAX_WORDS``; then the model is built again with
    the ``min_count`` that keeps the commonest ``MAX_WORDS`` (a second pass only for such texts).
    """

    def model(min_count: int) -> MaskedWordModel:
        return MaskedWordModel(
            corpus.training,
            embedding_dim=embedding_dim,
            window=window,
            min_count=min_count,
            learning_rate=learning_rate,
            batch_size=batch_size,
            seed=seed,
        )

    first = model(1)
    min_count = min_count_for(first.vocabulary.counts[len(SPECIAL_TOKENS) :])
    return first if min_count == 1 else model(min_count)


def held_out_pairs(model: MaskedWordModel, corpus: Corpus, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The (context → hidden word) pairs of the held-out sentences, in ``model``'s vocabulary (a sample if many)."""
    if not corpus.held_out:
        return np.zeros((0, 2 * model.window), dtype=np.int64), np.zeros(0, dtype=np.int64)
    contexts, targets = training_pairs([tokenize(s) for s in corpus.held_out], model.vocabulary, model.window)
    most = min(MAX_HELD_OUT_PAIRS, sample_size(len(model.vocabulary)))
    if targets.size > most:
        keep = np.sort(np.random.default_rng(seed).choice(targets.size, most, replace=False))
        contexts, targets = contexts[keep], targets[keep]
    return contexts, targets


def sample_size(vocabulary: int) -> int:
    """How many pairs a recording may look at for a vocabulary of this size (see ``LOSS_LOGITS``)."""
    return max(LOSS_LOGITS // max(vocabulary, 1), MIN_SAMPLE)


def load_kinds() -> dict[str, list[str]]:
    """Kind → its words, from ``resources/word_kinds.json`` (the bundled corpus's kinds)."""
    with open(resource("word_kinds.json"), encoding="utf-8") as file:
        return json.load(file)


def kind_indices(words: list[str], kinds: dict[str, list[str]]) -> np.ndarray:
    """For each vocabulary word, the index of its kind in ``kinds`` (−1: none)."""
    kind_of = {word: index for index, members in enumerate(kinds.values()) for word in members}
    return np.array([kind_of.get(word, -1) for word in words], dtype=np.int64)


def last_batch(trainer: Trainer, limit: int) -> np.ndarray:
    """The indices of the pairs the latest update used (at most ``limit``), from the epoch's order.

    (With the batch size changed since that update, this is the batch the current size would
    have taken; no update since the start of an epoch's order gives none.)
    """
    n, size = trainer.n_points, trainer.batch_size
    if trainer.step_count == 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    if size is None or size >= n:
        return np.arange(min(n, limit))
    order, cursor = trainer._order, trainer._cursor  # read next to the trainer, between steps
    if order is None:
        return np.zeros(0, dtype=np.int64)
    stop = cursor if cursor else n
    start = max(stop - size, 0) if cursor else ((n - 1) // size) * size
    return np.array(order[start : min(stop, start + limit)], dtype=np.int64)


class WordProbe(Probe):
    """The loss (sampled for large texts) and each word's kind; snapshots carry no weights (see :meth:`params`)."""

    def __init__(self, words: list[str], kinds: dict[str, list[str]], n_pairs: int, seed: int = 0):
        self.words = list(words)
        self.kind_names = list(kinds)
        self.kind = kind_indices(self.words, kinds)
        per_recording = sample_size(len(self.words))
        self.loss_sample: np.ndarray | None = None
        if n_pairs > per_recording:
            self.loss_sample = np.sort(np.random.default_rng(seed).choice(n_pairs, per_recording, replace=False))

    @property
    def loss_is_sampled(self) -> bool:
        return self.loss_sample is not None

    def loss(self, trainer: MaskedWordModel) -> float:
        if self.loss_sample is None or self.loss_sample[-1] >= trainer.n_points:
            return trainer.loss()
        sample = self.loss_sample
        return trainer.evaluate(trainer.X[sample], trainer.y[sample])[0]

    def params(self, trainer: Trainer) -> dict:
        """None: the weights are a (vocabulary × size) table; what a tab shows of them is in ``extra``."""
        return {}

    def is_known(self, word: str) -> bool:
        return word in self.words[len(SPECIAL_TOKENS) :]


def kind_accuracy(kind: np.ndarray, targets: np.ndarray, predicted: np.ndarray) -> float:
    """How often the guess is a word of the hidden word's kind, over hidden words that have a kind (NaN: none)."""
    known = kind[targets] >= 0
    if not known.any():
        return math.nan
    return float(np.mean(kind[predicted[known]] == kind[targets[known]]))


def problem_of(error: Exception) -> dict[str, Any]:
    """A question the model refused (an unknown word, a missing ___), as ``extra`` carries it."""
    return {"problem": str(error)}
