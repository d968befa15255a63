"""What the Embeddings tab reads from its word model, next to it (Qt-free: it runs in the trainer's process).

Each snapshot carries the word vectors projected onto their two principal axes (not the vectors
themselves: a 5 000-word vocabulary would be a large table every frame), and the answers to the
person's questions, recomputed as training moves the vectors: a word's nearest neighbours, an
analogy, the similarities among a handful of words, and text generated from a prefix.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import MaskedWordModel
from ..core.text import SPECIAL_TOKENS
from .words_probe import WordProbe

#: neighbours listed for the chosen word
NEIGHBOURS = 8
#: answers listed for an analogy
ANSWERS = 5
#: words in the similarity matrix, at most
MAX_MATRIX_WORDS = 10
#: words generated from the prefix
GENERATED_WORDS = 12


def principal_axes(vectors: np.ndarray, previous: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The two principal axes of ``vectors`` (rows) and the share of the spread along each.

    They are the first two right singular vectors of the centred vectors (found as the top
    eigenvectors of their ``dim × dim`` scatter matrix: the same axes, in a fraction of a
    millisecond for 5 000 words, where the SVD of the tall matrix takes ~100), oriented to follow
    ``previous`` (the axes of the last frame): an axis whose sign flipped is turned back, and
    if the two have swapped places (their spreads crossed), they are swapped back, so the
    picture moves smoothly instead of mirroring or turning by a quarter.
    """
    n, dim = vectors.shape
    if n < 2 or dim < 2:
        return np.eye(2, dim), np.zeros(2)
    centred = vectors - vectors.mean(axis=0)
    spread, eigenvectors = np.linalg.eigh(centred.T @ centred)  # ascending
    axes = eigenvectors[:, ::-1][:, :2].T.copy()
    spread = np.maximum(spread[::-1], 0.0)
    share = spread[:2] / spread.sum() if spread.sum() > 0 else np.zeros(2)
    if previous is not None and previous.shape == axes.shape:
        overlap = axes @ previous.T
        if abs(overlap[0, 1]) + abs(overlap[1, 0]) > abs(overlap[0, 0]) + abs(overlap[1, 1]):
            axes, share = axes[::-1].copy(), share[::-1].copy()
            overlap = axes @ previous.T
        signs = np.where(np.diag(overlap) < 0, -1.0, 1.0)
        axes *= signs[:, None]
    return axes, share


def project(vectors: np.ndarray, axes: np.ndarray) -> np.ndarray:
    """The centred ``vectors`` in the coordinates of ``axes``: ``(n, 2)``."""
    return (vectors - vectors.mean(axis=0)) @ axes.T


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1: only its direction left (what cosine similarity compares)."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """Cosine similarity between every two rows."""
    unit = unit_rows(vectors)
    return np.clip(unit @ unit.T, -1.0, 1.0)


class EmbeddingsProbe(WordProbe):
    """Settings (``configure``): ``selected`` word, ``analogy`` (a, b, c), ``matrix_words``, ``prefix``,
    ``temperature``, ``generation_seed``, and ``unit_length`` (project the vectors' directions, each scaled
    to length 1, or the vectors as they are); each answer is recomputed every snapshot."""

    def __init__(
        self,
        words: list[str],
        kinds: dict[str, list[str]],
        n_pairs: int,
        *,
        selected: str = "",
        analogy: tuple[str, str, str] = ("", "", ""),
        matrix_words: tuple[str, ...] = (),
        prefix: str = "",
        temperature: float = 1.0,
        generation_seed: int = 0,
        unit_length: bool = True,
        seed: int = 0,
    ):
        super().__init__(words, kinds, n_pairs, seed)
        self.selected = selected
        self.analogy = tuple(analogy)
        self.matrix_words = tuple(matrix_words)
        self.prefix = prefix
        self.temperature = float(temperature)
        self.generation_seed = int(generation_seed)
        self.unit_length = bool(unit_length)
        self.axes: np.ndarray | None = None  # the last frame's, so the next one keeps their orientation

    def configure(self, **settings: Any) -> bool:
        if "unit_length" in settings and bool(settings["unit_length"]) != self.unit_length:
            self.axes = None  # other points: their own axes, not oriented by these
        return super().configure(**settings)

    def extra(self, trainer: MaskedWordModel) -> dict[str, Any]:
        vectors = trainer.params["embeddings"][len(SPECIAL_TOKENS) :]
        shown = unit_rows(vectors) if self.unit_length else vectors
        self.axes, share = principal_axes(shown, self.axes)
        extra: dict[str, Any] = {"xy": project(shown, self.axes), "share": share}
        extra.update(self.answers(trainer, vectors))  # ~1 ms for 100 words, ~5 ms for 5 000
        return extra

    def answers(self, trainer: MaskedWordModel, vectors: np.ndarray) -> dict[str, Any]:
        """The person's questions, answered by the model as it is now (a sentence where it refuses one)."""
        answers: dict[str, Any] = {}
        answers["neighbours"] = self._ask(trainer.nearest, self.selected, NEIGHBOURS) if self.selected else None
        if all(word.strip() for word in self.analogy):
            answers["analogy"] = self._ask(trainer.analogy, *self.analogy, ANSWERS)
        else:
            answers["analogy"] = None
        known = [word for word in self.matrix_words if word in trainer.vocabulary][:MAX_MATRIX_WORDS]
        indices = [trainer.vocabulary.index(word) - len(SPECIAL_TOKENS) for word in known]
        answers["matrix"] = (known, cosine_matrix(vectors[indices]) if known else np.zeros((0, 0)))
        if self.prefix.strip():
            answers["generated"] = self._ask(
                trainer.generate_words, self.prefix, GENERATED_WORDS, self.temperature, self.generation_seed
            )
        else:
            answers["generated"] = None
        return answers

    @staticmethod
    def _ask(question, *args) -> list | str:
        """The answer, or the sentence the model refused the question with."""
        try:
            return question(*args)
        except ValueError as error:
            return str(error)
