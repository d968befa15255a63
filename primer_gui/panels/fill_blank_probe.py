"""What the Fill the blank tab reads from its word model, next to it (Qt-free: it runs in the trainer's process).

Each recording measures the model on the held-out sentences (pairs made the same way from
sentences it never trains on): their loss, how often its likeliest word is the hidden one, and how
often it is at least a word of the same kind.  Each snapshot carries the top guesses for the
person's sentence and the pairs the latest update used.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core import MaskedWordModel
from .words_probe import WordProbe, kind_accuracy, last_batch

#: the batch's pairs a snapshot carries, at most
MAX_BATCH_SHOWN = 256
#: guesses shown for the sentence's blank
TOP_K = 8


class FillBlankProbe(WordProbe):
    series = ("loss", "held-out loss", "right word", "right kind")

    def __init__(
        self,
        words: list[str],
        kinds: dict[str, list[str]],
        n_pairs: int,
        held_contexts: np.ndarray,
        held_targets: np.ndarray,
        sentence: str = "",
        seed: int = 0,
    ):
        super().__init__(words, kinds, n_pairs, seed)
        self.held_contexts = np.asarray(held_contexts, dtype=np.int64)
        self.held_targets = np.asarray(held_targets, dtype=np.int64)
        self.sentence = sentence

    @property
    def n_held_out(self) -> int:
        return int(self.held_targets.size)

    def metrics(self, trainer: MaskedWordModel) -> tuple[float, float, float]:
        """Held-out loss, share of right words, share of right kinds (NaN with nothing held out)."""
        if not self.n_held_out:
            return math.nan, math.nan, math.nan
        loss, predicted, _ = trainer.evaluate(self.held_contexts, self.held_targets)
        right = float(np.mean(predicted == self.held_targets))
        return loss, right, kind_accuracy(self.kind, self.held_targets, predicted)

    def extra(self, trainer: MaskedWordModel) -> dict[str, Any]:
        extra: dict[str, Any] = {"batch": last_batch(trainer, MAX_BATCH_SHOWN)}
        if self.sentence.strip():
            try:
                extra["guesses"] = trainer.predict_masked(self.sentence, TOP_K)
            except ValueError as error:
                extra["problem"] = str(error)
        return extra
