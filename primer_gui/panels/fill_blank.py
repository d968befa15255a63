"""The Fill the blank tab: self-supervised learning from raw text.

Each word of the text is hidden in turn and becomes the label for the words
around it, so the text supplies its own answers: nobody labels anything.  The
tab shows those (context → hidden word) pairs with the latest batch marked, the
model's top guesses for a sentence the person types (moving while it trains),
the loss on the training pairs and on held-out sentences, how often it fills a
held-out blank with the right word or at least the right kind of word, and one
step's arithmetic.
"""

from __future__ import annotations

import html
import re

import numpy as np
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ..core import MaskedWordModel
from ..core.text import tokenize
from ..core.trainer import StepReport
from ..glossary import link
from ..training.engine import Snapshot
from ..widgets.controls import batch_words
from ..widgets.loss_curve import LossCurve
from ..widgets.probability_bars import ProbabilityBars
from ..widgets.row_table import RowTable
from ..widgets.step_inspector import StepInspector
from .fill_blank_probe import TOP_K, FillBlankProbe
from .word_panel import WordPanel, setting
from .words_probe import Corpus, held_out_pairs

SENTENCE = "the small ___ sleeps on the sofa"
#: rows of the batch the inspector lists
INSPECTED_ROWS = 6
PAIR_VIEWS = ("the latest batch", "all pairs")

EXPLANATION = f"""
<p>Nobody has labelled this text. The trick of {link("self-supervised learning")}: hide one word of a
sentence and make it the {link("label")}. <i>“the cat sleeps on the ___”</i> → <i>“sofa”</i>. Every word of
every sentence gives one such pair, so the text is its own answer key.</p>
<p>The model averages the {link("embedding", "embeddings")} of the words around the blank (the
{link("context window")}) and turns that into a probability for every word it knows (a
{link("softmax")}). Its {link("loss")} is the {link("cross-entropy")}: −log of the probability it gave the
hidden word. {link("gradient descent", "Gradient descent")} nudges the embeddings so the right word gets likelier.</p>
<p>One sentence in five is {link("held-out data", "held out")}: never trained on, it shows whether the
model learned the pattern or just the sentences. Even when it misses the exact word, it soon guesses the
right <i>kind</i> of word — an animal where animals go.</p>
"""

HINT = (
    "type your own sentence with ___ in the box and press Play: watch the guesses sort themselves out. "
    "Then load a text file of your own, or change the window to see how much context the model needs."
)


class FillBlankPanel(WordPanel):
    explanation_html = EXPLANATION
    hint = HINT
    hold_out = True

    # -- layout ------------------------------------------------------------------------------------
    def build_words(self) -> None:
        self._history_drawn: tuple | None = None
        self.add_plot(self._build_guess_box(), 0, 0)
        self.loss_curve = LossCurve(
            "Loss while training", {"loss": "training pairs", "held-out loss": "held-out sentences"}
        )
        self.accuracy_curve = LossCurve(
            "Held-out blanks filled right",
            {"right word": "the right word (every blank)", "right kind": "the right kind (animal, food… blanks)"},
            y_label="share of held-out blanks",
        )
        self.accuracy_curve.set_scale("linear")
        self.accuracy_curve.getPlotItem().legend.setOffset((10, 10))  # top left: the curves start low, then rise
        self.accuracy_curve.setToolTip(
            "On sentences the model never trains on: how often its likeliest word is the hidden word, and how "
            "often it is at least the same kind of word (animal, food, place…) — counted over hidden words "
            "whose kind the word list knows."
        )
        self.loss_curve.setToolTip(
            "Cross-entropy on the pairs it trains on, and on pairs from held-out sentences it never sees"
        )
        self.add_plot(self.loss_curve, 0, 1)
        self.add_plot(self.accuracy_curve, 0, 2)
        self.add_plot(self._build_pairs_box(), 1, 0)
        self.add_plot(self.build_corpus_box(), 1, 1)
        self.inspector = StepInspector(self._inspector_html)
        self.add_plot(self.inspector, 1, 2)
        self.grid.setRowStretch(0, 1)
        self.grid.setRowStretch(1, 1)
        self.add_side(self.build_model_box())

    def _build_guess_box(self) -> QWidget:
        self.sentence_edit = QLineEdit(SENTENCE)
        self.sentence_edit.setPlaceholderText("a sentence with ___ where a word is missing")
        self.sentence_edit.setToolTip(
            "Any sentence with one ___ (three underscores or more) where the hidden word goes"
        )
        self.sentence_edit.setClearButtonEnabled(True)
        self.sentence_edit.textChanged.connect(self._on_sentence_edit_text_changed)
        edit = self.sentence_edit
        self.settings.add_custom("sentence", edit, edit.text, edit.setText, _text)
        self.seen_label = QLabel()
        self.seen_label.setWordWrap(True)
        self.seen_label.setToolTip(
            "What the model gets from your sentence: the words inside its window around the blank. Grey words "
            "are outside the window; red ones it has never seen (they count as unknown)."
        )
        self.guess_bars = ProbabilityBars(f"Its top {TOP_K} guesses for the blank", TOP_K)
        self.guess_bars.setToolTip(
            "The model's probability for each word, coloured by kind of word; live while it trains"
        )
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Fill the blank</b>"))
        layout.addWidget(self.sentence_edit)
        layout.addWidget(self.seen_label)
        layout.addWidget(self.guess_bars, 1)
        return box

    def _build_pairs_box(self) -> QWidget:
        self.pairs_label = QLabel()
        self.pairs_label.setWordWrap(True)
        self.pairs_view = QComboBox()
        self.pairs_view.addItems(list(PAIR_VIEWS))
        self.pairs_view.setToolTip(
            "List only the pairs the latest update learned from, or every pair (the batch marked)"
        )
        self.pairs_view.currentTextChanged.connect(self._on_pairs_view_changed)
        self.settings.add("pairs_shown", self.pairs_view)
        self.pairs_table = RowTable()
        self.pairs_table.setToolTip("Each pair: the words around a blank, and the hidden word that is its label")
        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Training pairs</b>"))
        top.addWidget(self.pairs_view, 1)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.pairs_label)
        layout.addWidget(self.pairs_table, 1)
        return box

    def apply_theme(self, palette) -> None:
        super().apply_theme(palette)
        self.pairs_table.apply_theme(palette)
        self._show_seen()

    # -- the model and its probe ---------------------------------------------------------------------
    def make_probe(self, model: MaskedWordModel, corpus: Corpus, settings: dict | None = None) -> FillBlankProbe:
        current = self.sentence_edit.text() if hasattr(self, "sentence_edit") else SENTENCE
        sentence = setting(settings, "sentence", current)
        contexts, targets = held_out_pairs(model, corpus, self.seed)
        return FillBlankProbe(
            model.vocabulary.words, self.kinds, model.n_points, contexts, targets, sentence=sentence, seed=self.seed
        )

    def words_changed(self, probe: FillBlankProbe) -> None:
        model = self.model
        words = model.vocabulary.words
        half = model.window

        def row(index: int) -> tuple[str, str]:
            context = model.X[index]
            left = [words[i] for i in context[:half] if i]
            right = [words[i] for i in context[half:] if i]
            return " ".join([*left, "___", *right]), words[model.y[index]]

        self.pairs_table.set_source(model.n_points, row, ("words around the blank", "hidden word"))
        self.pairs_label.setText(
            f"{model.n_points:,} pairs made from {len(self.corpus.training):,} sentences — each hides one word "
            "and makes it the label. Nobody typed a label."
        )
        sampled = probe.loss_is_sampled
        self._show_seen()
        self.loss_curve.setToolTip(
            "Cross-entropy on the pairs it trains on"
            + (" (measured on a fixed random sample of them: the text is large)" if sampled else "")
            + ", and on pairs from held-out sentences it never sees"
        )

    # -- the sentence ---------------------------------------------------------------------------------
    def _on_sentence_edit_text_changed(self, text: str) -> None:
        self.runner.configure(sentence=text)
        self._show_seen()

    def _show_seen(self) -> None:
        """The sentence as the model sees it: the window around the blank, unknown words marked."""
        if not hasattr(self, "seen_label"):
            return
        text = self.sentence_edit.text()
        parts = re.split(r"_{3,}", text)
        if len(parts) != 2:
            self.seen_label.setText("<span style='color:gray'>Put one ___ where a word is missing.</span>")
            return
        window = self.model.window
        vocabulary = self.model.vocabulary
        left, right = tokenize(parts[0]), tokenize(parts[1])
        error = self._palette.fit

        def shown(words: list[str], inside: range) -> list[str]:
            out = []
            for position, word in enumerate(words):
                escaped = html.escape(word)
                if position not in inside:
                    out.append(f"<span style='color:gray'>{escaped}</span>")
                elif word in vocabulary:
                    out.append(f"<b>{escaped}</b>")
                else:
                    out.append(f"<span style='color:{error}'><s>{escaped}</s> (unknown)</span>")
            return out

        words = shown(left, range(len(left) - window, len(left))) + ["<b>___</b>"]
        words += shown(right, range(window))
        unknown = [w for w in left[-window:] + right[:window] if w not in vocabulary]
        note = f" — {len(unknown)} unknown" if unknown else ""
        self.seen_label.setText(f"The model sees: {' '.join(words)}{note}")

    # -- snapshots -----------------------------------------------------------------------------------
    def show_words(self, snapshot: Snapshot) -> None:
        self.inspector.show_snapshot(snapshot)
        history = snapshot.history
        # the held-out measures make a recording cost tens of milliseconds, so most snapshots bring none new
        drawn = (history.version, len(history), history.latest(), float(history.steps[-1]) if len(history) else -1)
        if drawn != self._history_drawn:
            self._history_drawn = drawn
            self.loss_curve.set_history(history)
            self.accuracy_curve.set_history(history)
        extra = snapshot.extra
        guesses = extra.get("guesses")
        if guesses:
            kinds = self.runner.probe.kind
            vocabulary = self.model.vocabulary
            roles = [_role(int(kinds[vocabulary.index(word)])) for word, _ in guesses]
            self.guess_bars.set_bars([w for w, _ in guesses], [p for _, p in guesses], roles)
        else:
            self.guess_bars.show_note(extra.get("problem") or "Type a sentence with ___ above")
        if not self.text_due(snapshot):
            return
        batch = extra.get("batch", np.zeros(0, dtype=np.int64))
        batch = batch[batch < self.model.n_points]
        if self.pairs_view.currentText() == PAIR_VIEWS[0]:
            self.pairs_table.show_rows(batch)
            self.pairs_table.mark(batch[:0])  # every row is the batch's: nothing to pick out
        else:
            self.pairs_table.show_rows(None)
            self.pairs_table.mark(batch)

    def _on_pairs_view_changed(self, _text: str) -> None:
        if self.runner.latest is not None:
            self._text_due = 0.0
            self.show_words(self.runner.latest)

    def after_session_loaded(self) -> None:
        self._show_seen()

    # -- the step inspector ----------------------------------------------------------------------------
    def _inspector_html(self, report: StepReport, batch: tuple, loss_after: float | None) -> str:
        contexts, targets = batch
        model = self.model
        latest = self.runner.latest
        n_points = latest.n_points if latest is not None else model.n_points
        setting_size = latest.hyperparameters.get("batch_size") if latest is not None else None
        kind = batch_words(len(targets), n_points, setting_size).replace("points", "pairs")
        epoch = f"it completed epoch {report.epoch}" if report.ended_epoch else f"epoch {report.epoch + 1} in progress"
        _, _, before = model.evaluate(contexts, targets, report.params_before)
        words = model.vocabulary.words
        half = model.window
        if report.diverged:
            header = f"Step {report.step} — rejected: the loss overflowed"
            after = None
            change = "<p style='color:#c0392b'><b>Not applied</b>: the embeddings stay as they were.</p>"
        else:
            header = f"Step {report.step}: {epoch}"
            _, _, after = model.evaluate(contexts, targets, report.params_after)
            whole = "" if loss_after is None else f"<br>Loss on all training pairs after it: <b>{loss_after:.4g}</b>"
            change = (
                f"<p>Every weight moved by −learning rate ({report.learning_rate:g}) × its gradient. The hidden "
                "word's probability, averaged over the batch: "
                f"<b>{before.mean():.3f} → {after.mean():.3f}</b>{whole}</p>"
            )
        rows = ""
        for i in range(min(INSPECTED_ROWS, len(targets))):
            context = contexts[i]
            text = " ".join([*(words[w] for w in context[:half] if w), "___", *(words[w] for w in context[half:] if w)])
            p_after = "—" if after is None else f"{after[i]:.3f}"
            rows += (
                f"<tr><td>{html.escape(text)}</td><td><b>{html.escape(words[targets[i]])}</b></td>"
                f"<td>{before[i]:.3f}</td><td>{p_after}</td></tr>"
            )
        hidden = len(targets) - INSPECTED_ROWS
        more = f"<tr><td colspan=4>… and {hidden:,} more</td></tr>" if hidden > 0 else ""
        return f"""
<h3 style='margin-bottom:4px'>{header}</h3>
<p>The batch: <b>{kind}</b>.</p>
<p><b>Loss on this batch</b> (before the step) = mean of −log p(hidden word) = <b>{report.loss:.4g}</b></p>
{change}
<table border=1 cellspacing=0 cellpadding=2 style='white-space:nowrap'>
<tr><th>context</th><th>hidden</th><th>p before</th><th>after</th></tr>{rows}{more}</table>
"""


def _role(kind: int) -> str:
    return "uncategorised" if kind < 0 else f"categories[{kind % 8}]"


def _text(value) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text; the file has {value!r}")
    return value
