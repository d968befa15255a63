"""Fill the blank: a continuous-bag-of-words model that learns words from raw sentences.

Self-supervised learning: the labels are made from the text itself (see
:mod:`.text`).  Each training example is a context of ``window`` words on each
side of a hidden word; the model guesses the hidden word.

The model, exactly.  Parameters ``embeddings`` E (V, dim), ``output_weights``
W (dim, V) and ``output_bias`` b (V,), where V counts ``<pad>`` and ``<unk>``::

    h      = mean of E[w] over the real (non-<pad>) words w of the context   (dim,)
    logits = h·W + b                                                         (V,)
    p      = softmax(logits)            a probability for every vocabulary word
    L      = mean over examples of −log p[hidden word]     (softmax cross-entropy)

Gradients, with ``δ = (p − onehot(hidden)) / m`` on a batch of ``m`` examples:
``∂L/∂W = hᵀδ``, ``∂L/∂b = Σδ``, and each real context word ``w`` of an example
with ``c`` real words receives ``(δ·Wᵀ) / c`` in its row of ``∂L/∂E`` — summed
by a scatter-add, so a word seen twice in a batch gets both contributions.  The
``<pad>`` row of E never receives a gradient and is never used.

The rows of E are the word vectors the Embeddings tab shows: words that appear
among the same neighbours end up pointing the same way.

Initialisation, from the seed: E ~ Normal(0, 0.1²); W Glorot-uniform; b = 0.
``embedding_dim``, ``window`` and ``min_count`` shape the model and its data, so
they are fixed when the model is built; ``learning_rate`` and ``batch_size`` may
change between steps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from .losses import softmax
from .text import SPECIAL_TOKENS, Vocabulary, pairs_as_text, split_sentences, tokenize, training_pairs
from .trainer import Params, Trainer

_BLANK = re.compile(r"_{3,}")


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


class MaskedWordModel(Trainer):
    """Continuous bag of words → linear layer → softmax over the vocabulary.

    ``sentences`` is raw text (split into sentences) or a list of sentences; the
    constructor builds the vocabulary and the (context → hidden word) pairs and
    hands the pairs to :meth:`set_data` as ``X`` = contexts (n, 2·window) and
    ``y`` = hidden-word indices (n,), so batching and epochs are the base's.
    ``sentences=None`` makes a model with no vocabulary; that is how
    :meth:`from_state_dict` starts before it restores one.
    """

    hyperparameters = ("embedding_dim", "window", "min_count", "learning_rate", "batch_size", "seed")

    def __init__(
        self,
        sentences: str | Iterable[str] | None = None,
        *,
        embedding_dim: int = 16,
        window: int = 2,
        min_count: int = 1,
        learning_rate: float = 0.1,
        batch_size: int | None = 64,
        seed: int = 0,
    ):
        super().__init__(learning_rate=learning_rate, batch_size=batch_size, seed=seed)
        self._embedding_dim = _check_whole("embedding_dim", embedding_dim)
        self._window = _check_whole("window", window)
        self._min_count = _check_whole("min_count", min_count)
        self.vocabulary: Vocabulary | None = None
        if sentences is not None:
            tokenized = [tokenize(sentence) for sentence in _sentences(sentences)]
            self.vocabulary = Vocabulary.build(tokenized, self._min_count)
            contexts, targets = training_pairs(tokenized, self.vocabulary, self._window)
            if targets.size == 0:
                raise ValueError(
                    "These sentences give no training pairs; each sentence needs at least two words "
                    f"that appear {self._min_count} or more times."
                )
            self.set_data(contexts, targets)

    @property
    def embedding_dim(self) -> int:
        return self._embedding_dim

    @property
    def window(self) -> int:
        return self._window

    @property
    def min_count(self) -> int:
        return self._min_count

    # -- hooks -----------------------------------------------------------------------------
    def _validate(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        contexts, targets = self._contexts(X), _word_indices(y, "targets")
        if targets.shape != (contexts.shape[0],):
            raise ValueError(f"There are {contexts.shape[0]} contexts but targets has shape {targets.shape}; one each.")
        V = len(self.vocabulary)
        if targets.min() < len(SPECIAL_TOKENS) or targets.max() >= V:
            raise ValueError(f"targets must be word indices from 2 to {V - 1} (not <pad> or <unk>).")
        return contexts, targets

    def _contexts(self, X: Any) -> np.ndarray:
        """Check contexts: (n, 2·window) word indices, each with at least one real word."""
        if self.vocabulary is None:
            raise ValueError("This model has no vocabulary yet; build it with MaskedWordModel(sentences).")
        V, width = len(self.vocabulary), 2 * self._window
        contexts = _word_indices(X, "contexts")
        if contexts.ndim != 2 or contexts.shape[1] != width or contexts.shape[0] == 0:
            window = self._window
            raise ValueError(f"contexts must have shape (pairs, {width}) for window {window}; got {contexts.shape}.")
        if contexts.min() < 0 or contexts.max() >= V:
            raise ValueError(f"contexts must be word indices from 0 to {V - 1}.")
        if not (contexts != 0).any(axis=1).all():
            raise ValueError("Every context needs at least one word that is not <pad>.")
        return contexts

    def _params_fit(self, X: np.ndarray) -> bool:
        return bool(self._params) and self._params["embeddings"].shape == (len(self.vocabulary), self._embedding_dim)

    def _initial_params(self, X: np.ndarray, y: Any) -> Params:
        rng = np.random.default_rng(self.seed)
        V, dim = len(self.vocabulary), self._embedding_dim
        limit = np.sqrt(6.0 / (dim + V))
        return {
            "embeddings": rng.normal(0.0, 0.1, size=(V, dim)),
            "output_weights": rng.uniform(-limit, limit, size=(dim, V)),
            "output_bias": np.zeros(V),
        }

    def _objective(self, indices: np.ndarray) -> tuple[float, Params]:
        contexts, targets = self.X[indices], self.y[indices]
        m = targets.size
        weights, hidden, logits = self._forward(contexts)
        log_probabilities = _log_softmax(logits)
        loss = -float(log_probabilities[np.arange(m), targets].mean())
        delta = np.exp(log_probabilities)
        delta[np.arange(m), targets] -= 1.0
        delta /= m
        grad_hidden = delta @ self._params["output_weights"].T
        grad_embeddings = np.zeros_like(self._params["embeddings"])
        np.add.at(grad_embeddings, contexts, weights[:, :, None] * grad_hidden[:, None, :])
        return loss, {
            "embeddings": grad_embeddings,
            "output_weights": hidden.T @ delta,
            "output_bias": delta.sum(axis=0),
        }

    def _objective_value(self, indices: np.ndarray) -> float:
        """The cross-entropy by a forward pass alone: ``logsumexp(logits) − logit of the hidden word``."""
        targets = self.y[indices]
        logits = self._forward(self.X[indices])[2]
        top = logits.max(axis=1)
        log_normaliser = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
        return float((log_normaliser - logits[np.arange(targets.size), targets]).mean())

    def _forward(self, contexts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-slot averaging weights (0 for <pad>), the hidden mean ``h`` and the logits."""
        real = contexts != 0
        weights = real / real.sum(axis=1, keepdims=True)
        hidden = (weights[:, :, None] * self._params["embeddings"][contexts]).sum(axis=1)
        return weights, hidden, hidden @ self._params["output_weights"] + self._params["output_bias"]

    def _extra_state(self) -> dict:
        if self.vocabulary is None:
            return {}
        return {"words": self.vocabulary.words, "counts": self.vocabulary.counts}

    def _load_extra_state(self, extra: dict) -> None:
        if extra:
            self.vocabulary = Vocabulary(extra["words"], extra["counts"])

    # -- what the tabs show ------------------------------------------------------------------
    def predict_proba(self, contexts: Any) -> np.ndarray:
        """``(n, V)`` probabilities of every vocabulary word for each context."""
        self._require_data()
        return softmax(self._forward(self._contexts(contexts))[2])

    def predict(self, contexts: Any) -> np.ndarray:
        """The index of the most probable hidden word for each context."""
        return self.predict_proba(contexts).argmax(axis=1)

    def predict_masked(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` likeliest words for the ``___`` in ``text``, best first, as ``(word, probability)``.

        Uses the ``window`` words on each side of the blank, as in training; a
        word the model never saw counts as ``<unk>``.  ``<pad>`` and ``<unk>``
        are never offered as answers.
        """
        parts = _BLANK.split(text)
        if len(parts) != 2:
            raise ValueError(f"Put exactly one ___ where the hidden word goes; found {len(parts) - 1}.")
        left, right = tokenize(parts[0])[-self._window :], tokenize(parts[1])[: self._window]
        return self._top_words(self._probabilities(left, right), k)

    def nearest(self, word: str, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` words whose embeddings point most nearly the same way, as ``(word, cosine)``, best first."""
        self._require_data()
        word = word.strip().lower()
        if word not in self.vocabulary:
            raise ValueError(f"{word!r} is not in the vocabulary; try a word from the text.")
        vectors = self._params["embeddings"]
        lengths = np.maximum(np.linalg.norm(vectors, axis=1), 1e-12)
        index = self.vocabulary.index(word)
        similarity = vectors @ vectors[index] / (lengths * lengths[index])
        similarity[index] = -np.inf
        return self._top_words(similarity, k)

    def generate(self, prefix: str, n_words: int = 10, temperature: float = 1.0, seed: int = 0) -> str:
        """Continue ``prefix`` by ``n_words`` words, each drawn from the model's guess for the next blank.

        A bag of words has no notion of order, and it was trained on blanks with
        words on both sides.  Here the blank sits at the end, so the context is
        the last ``window`` words only (the right side is all ``<pad>``, which
        the model ignores).  The text drifts: the model knows which words go
        together, not in which order — the step that real language models add.
        ``temperature`` divides the logits: low is greedy, high is random.
        """
        chosen = self.generate_words(prefix, n_words, temperature, seed)
        return " ".join(tokenize(prefix) + [word for word, _ in chosen])

    def generate_words(
        self, prefix: str, n_words: int = 10, temperature: float = 1.0, seed: int = 0
    ) -> list[tuple[str, float]]:
        """The words :meth:`generate` adds to ``prefix``, each with the probability it was drawn with.

        That probability is the one at this ``temperature`` (the distribution the word was drawn from).
        """
        words = tokenize(prefix)
        if not words:
            raise ValueError("Give at least one word to start from.")
        n_words = _check_whole("n_words", n_words, minimum=0)
        if not (isinstance(temperature, (int, float)) and np.isfinite(temperature) and temperature > 0):
            raise ValueError(f"temperature must be a positive number; got {temperature!r}.")
        rng = np.random.default_rng(seed)
        chosen = []
        for _ in range(n_words):
            probabilities = self._probabilities(words[-self._window :], [], temperature)
            index = rng.choice(probabilities.size, p=probabilities)
            words.append(self.vocabulary.words[index])
            chosen.append((words[-1], float(probabilities[index])))
        return chosen

    def analogy(self, a: str, b: str, c: str, k: int = 5) -> list[tuple[str, float]]:
        """``a − b + c``: the ``k`` words whose embeddings point most nearly along it, as ``(word, cosine)``.

        ("king − man + woman" → "queen" in large models.)  The three words themselves are left out.
        """
        self._require_data()
        words = [word.strip().lower() for word in (a, b, c)]
        for word in words:
            if word not in self.vocabulary:
                raise ValueError(f"{word!r} is not in the vocabulary; try a word from the text.")
        vectors = self._params["embeddings"]
        indices = [self.vocabulary.index(word) for word in words]
        target = vectors[indices[0]] - vectors[indices[1]] + vectors[indices[2]]
        lengths = np.maximum(np.linalg.norm(vectors, axis=1), 1e-12)
        similarity = vectors @ target / (lengths * max(float(np.linalg.norm(target)), 1e-12))
        similarity[indices] = -np.inf
        return self._top_words(similarity, k)

    def evaluate(
        self, contexts: Any, targets: Any, params: Params | None = None, chunk: int = 4096
    ) -> tuple[float, np.ndarray, np.ndarray]:
        """How the model does on these pairs: ``(loss, predicted, probability)``.

        ``loss`` is the mean cross-entropy (as :meth:`loss` computes it on the training pairs),
        ``predicted`` each context's likeliest word and ``probability`` each hidden word's
        probability.  ``params`` (default: the current ones) may be other parameters of the same
        shapes, e.g. a step report's before and after.  Computed ``chunk`` pairs at a time, so a
        large vocabulary never needs all the logits at once.
        """
        contexts, targets = self._validate(contexts, targets)
        saved = self._params
        if params is not None:
            shapes = {name: value.shape for name, value in saved.items()}
            if {name: np.shape(value) for name, value in params.items()} != shapes:
                raise ValueError(f"params must have the names and shapes {shapes}.")
            self._params = params
        try:
            losses, predicted, probability = [], [], []
            for start in range(0, targets.size, chunk):
                rows = slice(start, start + chunk)
                logits = self._forward(contexts[rows])[2]
                top = logits.max(axis=1)
                log_normaliser = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
                log_p = logits[np.arange(logits.shape[0]), targets[rows]] - log_normaliser
                losses.append(-log_p)
                probability.append(np.exp(log_p))
                predicted.append(logits.argmax(axis=1))
        finally:
            self._params = saved
        return float(np.concatenate(losses).mean()), np.concatenate(predicted), np.concatenate(probability)

    def pairs(self, limit: int | None = None) -> list[tuple[str, str]]:
        """The made-up labels as text, e.g. ``("the cat ___ on the", "sleeps")``; the first ``limit`` pairs."""
        self._require_data()
        return pairs_as_text(self.X[:limit], self.y[:limit], self.vocabulary)

    def _probabilities(self, left: list[str], right: list[str], temperature: float = 1.0) -> np.ndarray:
        """Probabilities over the vocabulary for a blank between ``left`` and ``right``; 0 for <pad> and <unk>."""
        self._require_data()
        if not left and not right:
            raise ValueError("Put at least one word next to the ___ so the model has a context.")
        w = self._window
        context = [0] * (w - len(left)) + self.vocabulary.encode(left) + self.vocabulary.encode(right)
        context += [0] * (w - len(right))
        logits = self._forward(np.array([context]))[2][0] / temperature
        logits[: len(SPECIAL_TOKENS)] = -np.inf
        return softmax(logits)

    def _top_words(self, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        k = _check_whole("k", k)
        scores = scores.copy()
        scores[: len(SPECIAL_TOKENS)] = -np.inf
        best = np.argsort(-scores, kind="stable")[: min(k, len(scores) - len(SPECIAL_TOKENS))]
        return [(self.vocabulary.words[i], float(scores[i])) for i in best if np.isfinite(scores[i])]


def _sentences(sentences: str | Iterable[str]) -> list[str]:
    if isinstance(sentences, str):
        return split_sentences(sentences)
    sentences = list(sentences)
    if not all(isinstance(sentence, str) for sentence in sentences):
        raise ValueError("sentences must be a text or a list of texts (strings).")
    return sentences


def _word_indices(values: Any, what: str) -> np.ndarray:
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    if array.dtype.kind == "f" and np.isfinite(array).all() and (array == np.round(array)).all():
        return array.astype(np.int64)
    raise ValueError(f"{what} must be whole-number word indices.")


def _check_whole(name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be a whole number ≥ {minimum}; got {value!r}.")
    return int(value)
