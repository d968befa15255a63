"""Both word tabs under random sequences of what a person does to their text and model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from primer_gui.core.text import load_text
from primer_gui.panels.embeddings import EmbeddingsPanel
from primer_gui.panels.fill_blank import FillBlankPanel
from primer_gui.paths import resource

TEXTS = [
    "the owl hoots at night\nthe owl sleeps by day\nthe bat flies at night",
    "one\n\n",  # refused: a single word makes no pair
    " ... !! ",  # refused: no words at all
    "a b c d e f g h i j\nk l m n o p\n" * 3,
]

actions = st.lists(
    st.one_of(
        st.tuples(st.just("step"), st.integers(1, 5)),
        st.tuples(st.just("text"), st.sampled_from(range(len(TEXTS)))),
        st.tuples(st.just("bundled")),
        st.tuples(st.just("embedding"), st.integers(2, 20)),
        st.tuples(st.just("window"), st.integers(1, 4)),
        st.tuples(st.just("undo")),
        st.tuples(st.just("redo")),
        st.tuples(st.just("reset")),
    ),
    max_size=12,
)


@pytest.mark.parametrize("panel_class", [FillBlankPanel, EmbeddingsPanel])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=actions)
def test_random_text_and_model_changes_keep_the_tab_and_its_trainer_in_step(qapp, panel_class, actions):
    panel = panel_class(threaded=False)
    try:
        for kind, *args in actions:
            if kind == "step":
                panel.runner.step(args[0])
            elif kind == "text":
                panel.use_text(TEXTS[args[0]])
            elif kind == "bundled":
                panel.use_bundled_text()
            elif kind == "embedding":
                panel.embedding_box.setValue(args[0])
            elif kind == "window":
                panel.window_box.setValue(args[0])
            elif kind == "undo":
                panel.undo_stack.undo()
            elif kind == "redo":
                panel.undo_stack.redo()
            elif kind == "reset":
                panel.reset()
        trainer = panel.runner.trainer
        # what the tab shows is the trainer's: its text's words and pairs, its shape
        assert panel.model.vocabulary.words == trainer.vocabulary.words
        np.testing.assert_array_equal(panel.model.X, trainer.X)
        assert (panel.embedding_box.value(), panel.window_box.value()) == (trainer.embedding_dim, trainer.window)
        assert panel.runner.latest.step == trainer.step_count
        assert panel.corpus_box.editor.toPlainText() == panel.corpus.text
        assert all(np.isfinite(value).all() for value in trainer.params.values())
        if panel.corpus.text == load_text(resource("corpus.txt")):
            assert len(trainer.vocabulary) == 93
    finally:
        panel.shutdown()
        panel.deleteLater()
