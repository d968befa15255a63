"""What the two word tabs share: a text to learn from, the word model built from it, and its sessions.

A :class:`WordPanel` trains a :class:`~primer_gui.core.MaskedWordModel` on a
corpus (the bundled one at first).  Changing the text — edited, loaded from a
file, or the bundled one again — or the model's shape (embedding size, window)
builds a new model here and sends it to the trainer whole (``runner.load``); it
is one step on the tab's undo stack, and undoing it brings back the previous
text and model exactly as they were (weights and loss history too).  A text
that cannot be learned from (binary, empty, a single word…) is refused with the
reason and changes nothing.  Sessions save the text with the trainer, and
opening one checks that the trainer's words and pairs are the text's.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication, QFileDialog, QFormLayout, QGroupBox, QSpinBox

from ..core import MaskedWordModel
from ..core.text import SPECIAL_TOKENS, load_text
from ..paths import resource
from ..training.engine import Snapshot
from ..training.history import HistoryMirror
from ..widgets.text_source import TextSourceBox
from .base import ConceptPanel
from .words_probe import (
    BATCH_SIZE,
    EMBEDDING_DIM,
    LEARNING_RATE,
    MAX_CHARACTERS,
    WINDOW,
    Corpus,
    WordProbe,
    build_model,
    load_kinds,
)

BUNDLED = "the bundled corpus (resources/corpus.txt)"
#: while training plays, text boxes (lists, sentences) are rewritten at most this often: faster, they are a
#: blur to read and each rewrite lays the tab out again
TEXT_SECONDS = 0.25
#: model changes kept for undo (each holds a model and its text)
UNDO_LIMIT = 20
#: the commonest words listed under the text
COMMONEST = 12


@dataclass
class _ModelState:
    """A text and a model trained on it, as the undo stack keeps them."""

    corpus: Corpus
    source: str
    trainer: dict  # raw trainer state
    history: dict | None
    model: MaskedWordModel | None = None  # the trainer itself, when it was just built (saves rebuilding it)


class _ModelChange(QUndoCommand):
    """A new text or model shape: redo installs the new model, undo the old one, each as it was left."""

    def __init__(self, panel: WordPanel, before: _ModelState, after: _ModelState, text: str):
        super().__init__(text)
        self.panel, self.before, self.after = panel, before, after
        self._first = True

    def redo(self) -> None:
        if not self._first:
            self.before = self.panel.current_model_state()
        self._first = False
        self.panel.install(self.after)

    def undo(self) -> None:
        self.after = self.panel.current_model_state()
        self.panel.install(self.before)


def history_state(mirror: HistoryMirror) -> dict:
    """A history the engine can load, from the GUI's mirror (the probe tracks no points)."""
    columns = [mirror.values(name) for name in mirror.series]
    return {
        "series": list(mirror.series),
        "steps": [int(step) for step in mirror.steps],
        "values": [[float(column[i]) for column in columns] for i in range(len(mirror))],
        "points": [None] * len(mirror),
        "epochs": [int(epoch) for epoch in mirror.epochs],
        "stride": int(mirror.stride),
    }


class WordPanel(ConceptPanel):
    #: hold out one sentence in five (Fill the blank measures on them) or train on every sentence
    hold_out = True
    #: a batch's logits are (batch × vocabulary): a full batch of a large text would need gigabytes
    max_batch_size = 4096

    def __init__(self, *, seed: int = 0, threaded: bool = True, parent=None):
        self.seed = seed
        self._text_due = 0.0
        self.kinds = load_kinds()
        self.source = BUNDLED
        self.corpus = Corpus.from_text(load_text(resource("corpus.txt")), self.hold_out)
        self.model = build_model(
            self.corpus,
            embedding_dim=EMBEDDING_DIM,
            window=WINDOW,
            learning_rate=LEARNING_RATE,
            batch_size=BATCH_SIZE,
            seed=seed,
        )
        super().__init__(self.model, self.make_probe(self.model, self.corpus), threaded=threaded, parent=parent)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self._show_corpus()

    # -- for subclasses --------------------------------------------------------------------------
    def build(self) -> None:
        self.build_words()
        self.words_changed(self.runner.probe)

    def build_words(self) -> None:
        """Make the tab's plots and boxes (``build_model_box`` and ``build_corpus_box`` make the shared ones)."""

    def make_probe(self, model: MaskedWordModel, corpus: Corpus, settings: dict | None = None) -> WordProbe:
        """The probe for this model and text, configured from ``settings`` (saved ones) or the controls."""
        raise NotImplementedError

    def words_changed(self, probe: WordProbe) -> None:
        """The vocabulary and pairs (``self.model``) and the probe are new: redo what depends on them (override)."""

    def show_words(self, snapshot: Snapshot) -> None:
        """Draw a snapshot of the model in use (override)."""

    # -- boxes ------------------------------------------------------------------------------------
    def build_model_box(self) -> QGroupBox:
        self.embedding_box = QSpinBox()
        self.embedding_box.setRange(2, 64)
        self.embedding_box.setToolTip(
            "How many numbers describe each word (its embedding). Changing it builds a new model (undo with Ctrl+Z)."
        )
        self.window_box = QSpinBox()
        self.window_box.setRange(1, 5)
        self.window_box.setToolTip(
            "How many words on each side of the blank the model sees. Changing it remakes the pairs and the model "
            "(undo with Ctrl+Z)."
        )
        for box in (self.embedding_box, self.window_box):
            box.setKeyboardTracking(False)
        self.embedding_box.setValue(self.model.embedding_dim)
        self.window_box.setValue(self.model.window)
        self.embedding_box.valueChanged.connect(self._on_shape_box_changed)
        self.window_box.valueChanged.connect(self._on_shape_box_changed)
        form = QFormLayout()
        form.addRow("Embedding size", self.embedding_box)
        form.addRow("Window (words each side)", self.window_box)
        box = QGroupBox("Model")
        box.setLayout(form)
        return box

    def build_corpus_box(self) -> TextSourceBox:
        self.corpus_box = TextSourceBox("The text it learns from")
        self.corpus_box.apply_requested.connect(self._on_corpus_box_apply_requested)
        self.corpus_box.load_requested.connect(self._on_corpus_box_load_requested)
        self.corpus_box.default_requested.connect(self.use_bundled_text)
        return self.corpus_box

    # -- changing the text or the model ----------------------------------------------------------
    def use_text(self, text: str, source: str = "the edited text") -> bool:
        """Learn from ``text`` (a new model, undoable); False, with a message and nothing changed, if refused."""
        try:
            corpus = Corpus.from_text(text, self.hold_out)
        except ValueError as error:
            self._refuse(source, str(error))
            return False
        return self._change(corpus, source, self.model.embedding_dim, self.model.window, f"use {source}")

    def load_corpus_file(self, path: str | Path) -> bool:
        """Learn from a UTF-8 text file; refused with a reason (and nothing changed) if it is not one."""
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > 4 * MAX_CHARACTERS:  # (UTF-8 takes at most 4 bytes a character) not read at all
                self._refuse(
                    path.name,
                    f"the file has {size / 1e6:,.0f} MB; at most {MAX_CHARACTERS:,} characters "
                    "can be learned from here",
                )
                return False
            text = load_text(path)
        except OSError as error:
            self._refuse(path.name, error.strerror or str(error))
            return False
        except ValueError as error:
            self._refuse(path.name, str(error))
            return False
        return self.use_text(text, path.name)

    def use_bundled_text(self) -> bool:
        return self.use_text(load_text(resource("corpus.txt")), BUNDLED)

    def reshape(self, embedding_dim: int, window: int) -> bool:
        """A new model of this shape on the same text (undoable)."""
        what = "change the embedding size" if window == self.model.window else "change the window"
        return self._change(self.corpus, self.source, embedding_dim, window, what)

    def _change(self, corpus: Corpus, source: str, embedding_dim: int, window: int, what: str) -> bool:
        hyper = self.runner.latest.hyperparameters if self.runner.latest is not None else {}
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            model = build_model(
                corpus,
                embedding_dim=embedding_dim,
                window=window,
                learning_rate=hyper.get("learning_rate", LEARNING_RATE),
                batch_size=hyper.get("batch_size", BATCH_SIZE),
                seed=self.seed,
            )
        except ValueError as error:
            self._refuse(source, str(error))
            self._show_shape(self.model.embedding_dim, self.model.window)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.runner.pause()
        before = self.current_model_state()
        after = _ModelState(corpus, source, model.raw_state(), None, model)
        self.undo_stack.push(_ModelChange(self, before, after, what))
        return True

    def _refuse(self, source: str, reason: str) -> None:
        reason = reason.rstrip(".")
        self.show_message(f"Could not learn from {source}: {reason}. Nothing was changed.")

    def current_model_state(self) -> _ModelState:
        """The text and the model as they are now (weights and history too)."""
        trainer = self.runner.query("trainer_state")
        return _ModelState(self.corpus, self.source, trainer, history_state(self.runner.history))

    def install(self, state: _ModelState) -> None:
        """Make ``state`` the tab's text and model (the undo stack's way in)."""
        self.message.dismiss()
        self.corpus, self.source = state.corpus, state.source
        self.model = state.model if state.model is not None else MaskedWordModel.from_state_dict(state.trainer)
        state.model = None  # the engine trains its own copy; next time, build from the state
        probe = self.make_probe(self.model, self.corpus)
        self.words_changed(probe)
        self.runner.load(state.trainer, state.history, probe=probe)
        self._show_corpus()

    def _on_shape_box_changed(self, _value: int) -> None:
        if not self.reshape(self.embedding_box.value(), self.window_box.value()):
            self._show_shape(self.model.embedding_dim, self.model.window)

    def _on_corpus_box_apply_requested(self, text: str) -> None:
        self.use_text(text)

    def _on_corpus_box_load_requested(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Learn from a text file", "", "Text files (*.txt *.md *.text);;All files (*)"
        )
        if path:
            self.load_corpus_file(path)

    # -- showing ---------------------------------------------------------------------------------------
    def _show_shape(self, embedding_dim: int, window: int) -> None:
        for box, value in ((self.embedding_box, embedding_dim), (self.window_box, window)):
            if box.value() != value:
                with QSignalBlocker(box):
                    box.setValue(value)

    def _show_corpus(self) -> None:
        self.corpus_box.set_text(self.corpus.text, self.source)
        self.corpus_box.set_facts(self.facts_html())
        self._show_shape(self.model.embedding_dim, self.model.window)

    def facts_html(self) -> str:
        vocabulary, corpus, model = self.model.vocabulary, self.corpus, self.model
        words = len(vocabulary) - len(SPECIAL_TOKENS)
        commonest = ", ".join(vocabulary.words[len(SPECIAL_TOKENS) : len(SPECIAL_TOKENS) + COMMONEST])
        rare = (
            f" Words seen fewer than {model.min_count} times ({vocabulary.counts[1]:,} uses) count as "
            "<i>unknown</i>, to keep the vocabulary readable."
            if model.min_count > 1
            else ""
        )
        if corpus.held_out:
            split = f"{len(corpus.training):,} to learn from, {len(corpus.held_out):,} held out to test on"
            repeated = len(corpus.sentences) - len(corpus.training) - len(corpus.held_out)
            if repeated:
                split += f"; {repeated:,} more not tested on, as they also occur among those learned from"
        elif self.hold_out:
            split = "all learned from (too few to hold some out)"
        else:
            split = "all learned from"
        return (
            f"<b>{words:,}</b> different words · <b>{len(corpus.sentences):,}</b> sentences ({split}) · "
            f"<b>{model.n_points:,}</b> blanks to fill, made from the text alone.{rare}<br>"
            f"Commonest: {commonest}"
        )

    def text_due(self, snapshot: Snapshot) -> bool:
        """Whether to rewrite the tab's text boxes for this snapshot (always, unless training plays)."""
        now = time.perf_counter()
        if snapshot.playing and now < self._text_due:
            return False
        self._text_due = now + TEXT_SECONDS
        return True

    def show_snapshot(self, snapshot: Snapshot) -> None:
        hyper = snapshot.hyperparameters
        if snapshot.loads == self.runner.loads_sent:  # not a snapshot of a model just replaced
            model = self.model
            self._show_shape(hyper.get("embedding_dim", model.embedding_dim), hyper.get("window", model.window))
            self.show_words(snapshot)

    # -- sessions -------------------------------------------------------------------------------------
    def session_state(self) -> dict:
        state = super().session_state()
        state["corpus"] = {"text": self.corpus.text, "source": self.source}
        return state

    def parse_more(self, state: dict, parsed: dict) -> dict:
        saved = state.get("corpus")
        if not isinstance(saved, dict) or not isinstance(saved.get("text"), str):
            raise ValueError("it has no text to learn from (corpus)")
        source = saved.get("source", "the session's text")
        if not isinstance(source, str):
            raise ValueError("its text's source is not a name")
        corpus = Corpus.from_text(saved["text"], self.hold_out)
        model = parsed["restored"]
        if model.vocabulary is None or model.X is None:
            raise ValueError("its trainer has no vocabulary or no pairs to learn from")
        expected = build_model(corpus, embedding_dim=model.embedding_dim, window=model.window, seed=model.seed)
        if model.min_count != expected.min_count or model.vocabulary.words != expected.vocabulary.words:
            raise ValueError("its trainer's vocabulary is not its text's")
        if not (np.array_equal(model.X, expected.X) and np.array_equal(model.y, expected.y)):
            raise ValueError("its trainer's (context → word) pairs are not its text's")
        return {
            "corpus": corpus,
            "source": source,
            "model": model,
            "probe": self.make_probe(model, corpus, parsed["settings"]),
        }

    def apply_session_state(self, parsed: dict) -> None:
        self.corpus, self.source, self.model = parsed["corpus"], parsed["source"], parsed["model"]
        self.words_changed(parsed["probe"])
        super().apply_session_state(parsed)
        self._show_corpus()

    def divergence_advice(self, learning_rate: float) -> str:
        if math.isnan(learning_rate):
            return "the learning rate is too large"
        return f"the learning rate {learning_rate:g} is too large for this model (try 1 or less)"


def setting(settings: dict | None, name: str, current: Any) -> Any:
    """A saved setting's value, or the control's current one."""
    return current if settings is None or name not in settings else settings[name]
