"""The Embeddings tab: what the word model's hidden layer learned, watched while it learns it.

The model is the one Fill the blank trains (hide a word, guess it from its
neighbours); here the point is its word vectors.  They are drawn on their two
principal axes, coloured by kind of word, moving as training moves them: words
used in the same places drift together.  Click a word (or search it) for its
nearest neighbours by cosine similarity; try an analogy a − b + c; compare a
handful of words in a similarity matrix; and let the model write, one guessed
word after another — the bridge to language models.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QSignalBlocker, QStringListModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core import MaskedWordModel
from ..core.text import SPECIAL_TOKENS, tokenize
from ..glossary import link
from ..training.engine import Snapshot
from ..widgets.label_map import LabelMap
from ..widgets.matrix_view import MatrixView
from .embeddings_probe import MAX_MATRIX_WORDS, EmbeddingsProbe
from .word_panel import WordPanel, setting
from .words_probe import Corpus

SELECTED = "cat"
ANALOGY = ("sofa", "chair", "garden")
MATRIX_WORDS = "cat dog horse bread cheese park garden"
PREFIX = "the farmer"
#: the temperature slider's steps: temperature = position / TEMPERATURE_STEPS
TEMPERATURE_STEPS = 100
#: watching the clusters form takes a few seconds at this pace (any speed may be chosen)
START_SPEED = "300 updates/s"

EXPLANATION = f"""
<p>This is the same kind of model as in <i>Fill the blank</i>: it learns from raw text by guessing hidden words
({link("self-supervised learning")}). To guess well it gives every word of its {link("vocabulary")} a list of
numbers, its {link("embedding")}, and here you watch those lists.</p>
<p>Each embedding has 16 numbers; the map shows the two directions along which they differ most
({link("principal component analysis")}). At first the words are scattered at random. As it trains, words
used in the same places gather: animals with animals, foods with foods — though nobody told it which word is
which kind (the colours come from a word list, not from the model).</p>
<p>Click a word: its nearest neighbours by {link("cosine similarity")} are linked to it. An analogy
<i>a − b + c</i> adds and subtracts embeddings. Finally the model writes: it guesses a word after the last
ones, adds it and guesses again, as a {link("language model")} does; {link("temperature")} sets how bold each
pick is. It only knows which words go together, not their order, so the text soon drifts.</p>
"""

HINT = (
    "press Reset, then Play and watch the colours sort themselves into groups; click a word to see its "
    "neighbours follow it. Raise the temperature and press Draw again."
)


class EmbeddingsPanel(WordPanel):
    explanation_html = EXPLANATION
    hint = HINT
    hold_out = False

    def __init__(self, *, seed: int = 0, threaded: bool = True, parent=None):
        super().__init__(seed=seed, threaded=threaded, parent=parent)
        self.controls.speed_box.setCurrentText(START_SPEED)

    # -- layout ------------------------------------------------------------------------------------
    def build_words(self) -> None:
        self.add_plot(self._build_map_box(), 0, 0, 2, 1)
        self.add_plot(self._build_words_box(), 0, 1)
        self.add_plot(self._build_matrix_box(), 1, 1)
        self.add_plot(self._build_generation_box(), 2, 0, 1, 2)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 2)
        self.grid.setRowStretch(0, 3)
        self.grid.setRowStretch(1, 3)
        self.add_side(self.build_model_box())
        corpus_box = self.build_corpus_box()
        corpus_box.editor.setMinimumHeight(120)
        self.add_side(corpus_box)

    def _build_map_box(self) -> QWidget:
        self.map = LabelMap(
            "Word vectors on their two principal axes", "principal axis (across)", "principal axis (up)"
        )
        self.map.setToolTip(
            "Each dot is a word's embedding, seen along the two directions in which the embeddings differ most. "
            "Click a word for its neighbours · wheel to zoom · drag to pan · double-click to follow the words again"
        )
        self.map.point_clicked.connect(self._on_map_point_clicked)
        self.share_label = QLabel()
        self.share_label.setWordWrap(True)  # (one long line would set the window's least width)
        self.share_label.setToolTip("How much of the embeddings' spread each axis of the map shows")
        self.follow_button = QPushButton("Follow the words")
        self.follow_button.setToolTip("Frame every word again and keep them framed as they move")
        self.follow_button.clicked.connect(self._on_follow_button_clicked)
        self.unit_check = QCheckBox("Directions only")
        self.unit_check.setChecked(True)
        self.unit_check.setToolTip(
            "Scale every embedding to length 1 before projecting: the map then shows directions, which is what "
            "cosine similarity compares (common words like 'the' have long vectors that would fill the map)"
        )
        self.unit_check.toggled.connect(self._on_unit_check_toggled)
        self.settings.add("directions_only", self.unit_check)
        top = QHBoxLayout()
        top.addWidget(self.share_label, 1)
        top.addWidget(self.unit_check)
        top.addWidget(self.follow_button)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.map, 1)
        return box

    def _build_words_box(self) -> QWidget:
        self.search_edit = QLineEdit(SELECTED)
        self.search_edit.setPlaceholderText("a word from the text")
        self.search_edit.setToolTip("Type a word and press Enter: it is picked on the map with its nearest neighbours")
        self.search_edit.setClearButtonEnabled(True)
        self._completions = QStringListModel(self)
        completer = QCompleter(self._completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search_edit.setCompleter(completer)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        search = self.search_edit
        self.settings.add_custom("selected", search, search.text, search.setText, _word)
        self.neighbours_label = QLabel()
        self.neighbours_label.setWordWrap(True)
        self.neighbours_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.analogy_edits = []
        analogy_row = QHBoxLayout()
        for index, (word, sign) in enumerate(zip(ANALOGY, ("−", "+", "="), strict=True)):
            edit = QLineEdit(word)
            edit.setToolTip("An analogy a − b + c: the words nearest to the embedding of a minus b plus c")
            edit.setCompleter(completer)
            edit.editingFinished.connect(self._on_analogy_edited)
            self.settings.add_custom(f"analogy_{'abc'[index]}", edit, edit.text, edit.setText, _word)
            self.analogy_edits.append(edit)
            analogy_row.addWidget(edit)
            analogy_row.addWidget(QLabel(sign))
        self.analogy_label = QLabel()
        self.analogy_label.setWordWrap(True)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(QLabel("<b>Word</b>"))
        search_row.addWidget(self.search_edit, 1)
        layout.addLayout(search_row)
        layout.addWidget(self.neighbours_label, 1)
        layout.addWidget(QLabel("<b>Analogy</b>"))
        layout.addLayout(analogy_row)
        layout.addWidget(self.analogy_label)
        return box

    def _build_matrix_box(self) -> QWidget:
        self.matrix_edit = QLineEdit(MATRIX_WORDS)
        self.matrix_edit.setToolTip(f"Up to {MAX_MATRIX_WORDS} words, separated by spaces: their cosine similarities")
        self.matrix_edit.editingFinished.connect(self._on_matrix_edit_editing_finished)
        matrix = self.matrix_edit
        self.settings.add_custom("matrix_words", matrix, matrix.text, matrix.setText, _text)
        self.matrix = MatrixView("Cosine similarity")
        self.matrix.setToolTip("1: the two embeddings point the same way; 0: unrelated; −1: opposite")
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("<b>Compare</b>"))
        row.addWidget(self.matrix_edit, 1)
        layout.addLayout(row)
        layout.addWidget(self.matrix, 1)
        return box

    def _build_generation_box(self) -> QWidget:
        self.prefix_edit = QLineEdit(PREFIX)
        self.prefix_edit.setToolTip("The words the model starts from; it adds one guessed word at a time")
        self.prefix_edit.editingFinished.connect(self._configure_generation)
        prefix = self.prefix_edit
        self.settings.add_custom("prefix", prefix, prefix.text, prefix.setText, _text)
        self.temperature_slider = QSlider(Qt.Orientation.Horizontal)
        self.temperature_slider.setRange(5, 3 * TEMPERATURE_STEPS)
        self.temperature_slider.setValue(TEMPERATURE_STEPS)
        self.temperature_slider.setToolTip(
            "Temperature: low takes the likeliest word almost every time; high gives unlikely words a chance"
        )
        self.temperature_slider.valueChanged.connect(self._on_temperature_slider_changed)
        self.settings.add_custom(
            "temperature",
            self.temperature_slider,
            self.temperature,
            lambda value: self.temperature_slider.setValue(round(value * TEMPERATURE_STEPS)),
            self._temperature_check,
        )
        self.temperature_label = QLabel()
        self.draw_box = QSpinBox()
        self.draw_box.setRange(0, 1_000_000)
        self.draw_box.setToolTip("Which random draw: the same draw of the same model writes the same words")
        self.draw_box.valueChanged.connect(self._configure_generation)
        self.settings.add("draw", self.draw_box)
        self.draw_button = QPushButton("Draw again")
        self.draw_button.setToolTip("Write again with other random picks")
        self.draw_button.clicked.connect(self._on_draw_button_clicked)
        self.generated_label = QLabel()
        self.generated_label.setWordWrap(True)
        self.generated_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.generated_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.generated_label.setToolTip("Each added word with the probability it was drawn with (at this temperature)")
        self._show_temperature()
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Write</b> from"), 0, 0)
        grid.addWidget(self.prefix_edit, 0, 1)
        grid.addWidget(self.temperature_label, 0, 2)
        grid.addWidget(self.temperature_slider, 0, 3)
        grid.addWidget(QLabel("draw"), 0, 4)
        grid.addWidget(self.draw_box, 0, 5)
        grid.addWidget(self.draw_button, 0, 6)
        grid.addWidget(self.generated_label, 1, 0, 1, 7)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 2)
        box = QWidget()
        box.setLayout(grid)
        return box

    def apply_theme(self, palette) -> None:
        super().apply_theme(palette)
        if self.runner.latest is not None:
            self.show_words(self.runner.latest)

    # -- the model and its probe ---------------------------------------------------------------------
    def make_probe(self, model: MaskedWordModel, corpus: Corpus, settings: dict | None = None) -> EmbeddingsProbe:
        built = hasattr(self, "generated_label")
        analogy = tuple(
            setting(settings, f"analogy_{name}", edit.text() if built else default)
            for name, edit, default in zip("abc", getattr(self, "analogy_edits", [None] * 3), ANALOGY, strict=True)
        )
        temperature = setting(settings, "temperature", self.temperature() if built else 1.0)
        matrix_words = setting(settings, "matrix_words", self.matrix_edit.text() if built else MATRIX_WORDS)
        return EmbeddingsProbe(
            model.vocabulary.words,
            self.kinds,
            model.n_points,
            selected=_clean(setting(settings, "selected", self.search_edit.text() if built else SELECTED)),
            analogy=tuple(_clean(word) for word in analogy),
            matrix_words=tuple(tokenize(matrix_words)),
            prefix=setting(settings, "prefix", self.prefix_edit.text() if built else PREFIX),
            temperature=temperature,
            generation_seed=setting(settings, "draw", self.draw_box.value() if built else 0),
            unit_length=setting(settings, "directions_only", self.unit_check.isChecked() if built else True),
            seed=self.seed,
        )

    def words_changed(self, probe: EmbeddingsProbe) -> None:
        words = self.model.vocabulary.words[len(SPECIAL_TOKENS) :]
        self.map.set_names(words, probe.kind[len(SPECIAL_TOKENS) :], probe.kind_names)
        self._completions.setStringList(sorted(words))

    # -- questions -------------------------------------------------------------------------------------
    def select_word(self, word: str) -> bool:
        """Pick ``word`` (its neighbours are listed and linked); False, with a message, if it is unknown."""
        word = _clean(word)
        if word and word not in self.model.vocabulary:
            self.show_message(f"“{word}” is not in the vocabulary of this text; try another word.")
            return False
        self.message.dismiss()
        with QSignalBlocker(self.search_edit):
            self.search_edit.setText(word)
        self.runner.configure(selected=word)
        return True

    def _on_map_point_clicked(self, index: int) -> None:
        self.select_word(self.map.names[index] if index >= 0 else "")

    def _on_search_edit_return_pressed(self) -> None:
        self.select_word(self.search_edit.text())

    def _on_follow_button_clicked(self) -> None:
        self.map.follow()
        self._text_due = 0.0

    def _on_unit_check_toggled(self, on: bool) -> None:
        self.runner.configure(unit_length=on)
        self.map.follow()

    def _on_analogy_edited(self) -> None:
        self.runner.configure(analogy=tuple(_clean(edit.text()) for edit in self.analogy_edits))

    def _on_matrix_edit_editing_finished(self) -> None:
        self.runner.configure(matrix_words=tuple(tokenize(self.matrix_edit.text())))

    def temperature(self) -> float:
        return self.temperature_slider.value() / TEMPERATURE_STEPS

    def _temperature_check(self, value) -> float:
        low, high = self.temperature_slider.minimum(), self.temperature_slider.maximum()
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a number; the file has {value!r}")
        if not low / TEMPERATURE_STEPS <= value <= high / TEMPERATURE_STEPS:
            raise ValueError(f"must be between {low / TEMPERATURE_STEPS:g} and {high / TEMPERATURE_STEPS:g}")
        return float(value)

    def _on_temperature_slider_changed(self, _value: int) -> None:
        self._show_temperature()
        self._configure_generation()

    def _show_temperature(self) -> None:
        self.temperature_label.setText(f"temperature {self.temperature():.2f}")

    def _on_draw_button_clicked(self) -> None:
        self.draw_box.setValue(self.draw_box.value() + 1)

    def _configure_generation(self, *_args) -> None:
        self.runner.configure(
            prefix=self.prefix_edit.text(), temperature=self.temperature(), generation_seed=self.draw_box.value()
        )

    def after_session_loaded(self) -> None:
        self._show_temperature()

    # -- snapshots -----------------------------------------------------------------------------------
    def show_words(self, snapshot: Snapshot) -> None:
        extra = snapshot.extra
        xy = extra.get("xy")
        if xy is None:
            return
        vocabulary = self.model.vocabulary
        offset = len(SPECIAL_TOKENS)
        probe = self.runner.probe
        pinned = []
        neighbours = extra.get("neighbours")
        focus, related = -1, []
        if probe.selected and isinstance(neighbours, list):
            focus = vocabulary.index(probe.selected) - offset
            related = [vocabulary.index(word) - offset for word, _ in neighbours]
        analogy = extra.get("analogy")
        if isinstance(analogy, list):
            pinned += [vocabulary.index(word) - offset for word in probe.analogy]
            pinned += [vocabulary.index(word) - offset for word, _ in analogy[:1]]
        matrix_words, matrix = extra.get("matrix", ([], np.zeros((0, 0))))
        pinned += [vocabulary.index(word) - offset for word in matrix_words]
        self.map.set_highlights(focus, related, pinned)  # drawn with the positions
        self.map.set_positions(xy)
        self.follow_button.setEnabled(not self.map.following)
        if not self.text_due(snapshot):
            return
        if matrix_words:
            self.matrix.set_matrix(list(matrix_words), matrix)
        else:
            self.matrix.show_note("Type words of the text above")
        share = extra.get("share", (0.0, 0.0))
        _set_text(
            self.share_label,
            spread_text(share) + ("" if self.map.following else " · zoomed: labels as room allows"),
        )
        self._show_neighbours(probe.selected, neighbours)
        self._show_analogy(probe.analogy, analogy)
        self._show_generated(probe.prefix, extra.get("generated"))

    def _show_neighbours(self, word: str, neighbours) -> None:
        if not word:
            _set_text(self.neighbours_label, "<span style='color:gray'>Click a word on the map, or type one.</span>")
        elif isinstance(neighbours, str):
            _set_text(self.neighbours_label, f"<span style='color:gray'>{html.escape(neighbours)}</span>")
        else:
            rows = "".join(
                f"<tr><td>{html.escape(w)}</td><td align=right>{similarity:.3f}</td></tr>"
                for w, similarity in neighbours
            )
            _set_text(
                self.neighbours_label,
                f"Nearest to <b>{html.escape(word)}</b> (cosine similarity):"
                f"<table cellspacing=0 cellpadding=1>{rows}</table>",
            )

    def _show_analogy(self, words: tuple, answers) -> None:
        if answers is None:
            _set_text(self.analogy_label, "<span style='color:gray'>Fill in three words.</span>")
        elif isinstance(answers, str):
            _set_text(self.analogy_label, f"<span style='color:gray'>{html.escape(answers)}</span>")
        else:
            a, b, c = (html.escape(w) for w in words)
            listed = ", ".join(f"<b>{html.escape(w)}</b> {s:.2f}" for w, s in answers)
            _set_text(self.analogy_label, f"{a} − {b} + {c} ≈ {listed}")

    def _show_generated(self, prefix: str, generated) -> None:
        if generated is None:
            _set_text(self.generated_label, "<span style='color:gray'>Type a few words to start from.</span>")
        elif isinstance(generated, str):
            _set_text(self.generated_label, f"<span style='color:gray'>{html.escape(generated)}</span>")
        else:
            start = html.escape(" ".join(tokenize(prefix)))
            words = " ".join(f"<b>{html.escape(w)}</b><sub>{p:.2f}</sub>" for w, p in generated)
            _set_text(self.generated_label, f"<span style='color:gray'>{start}</span> {words}")


def _set_text(label: QLabel, text: str) -> None:
    """A label's text, rewritten only when it changed (each rewrite lays the tab out again)."""
    if label.text() != text:
        label.setText(text)


def _clean(word: str) -> str:
    return word.strip().lower()


def _word(value) -> str:
    if not isinstance(value, str) or len(value) > 100:
        raise ValueError(f"must be a word; the file has {value!r}")
    return value


def _text(value) -> str:
    if not isinstance(value, str) or len(value) > 1000:
        raise ValueError(f"must be a short text; the file has {value!r}")
    return value


def spread_text(share) -> str:
    """How much of the spread the map shows, and along which axis.

    The axes keep their places from frame to frame (a swap would turn the picture by a quarter), so the
    across axis may come to hold less than the up one: say so rather than calling it the first.
    """
    across, up = 100 * share[0], 100 * share[1]
    text = f"The map shows {across + up:.0f} % of the spread: across {across:.0f} %, up {up:.0f} %"
    if round(across) < round(up):
        text += " (the two traded places while training; kept, so the map does not turn)"
    return text
