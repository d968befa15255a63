"""The Embeddings tab, driven as a person drives it (in-process runner unless stated)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from explanations import linked_terms
from PySide6.QtCore import QPointF, QRectF, Qt
from sklearn.metrics.pairwise import cosine_similarity

from primer_gui.glossary import glossary
from primer_gui.panels.embeddings import EmbeddingsPanel, spread_text
from primer_gui.panels.embeddings_probe import GENERATED_WORDS, NEIGHBOURS, principal_axes
from primer_gui.panels.fill_blank import FillBlankPanel
from primer_gui.panels.words_probe import MAX_WORDS
from primer_gui.widgets.label_map import MAX_LABELS

ANIMALS = set(["cat", "dog", "horse", "cow", "sheep", "pig", "goat", "rabbit", "mouse", "duck", "fox", "hen"])


@pytest.fixture
def panel(shown_panel):
    return shown_panel(EmbeddingsPanel)


def embeddings(panel) -> np.ndarray:
    return panel.runner.trainer.params["embeddings"][2:]


def assert_same_up_to_sign_and_order(projection, expected):
    """The same two axes, each possibly reversed, possibly in the other order (kept as the last frame had them)."""
    if abs(projection[:, 0] @ expected[:, 1]) > abs(projection[:, 0] @ expected[:, 0]):
        expected = expected[:, ::-1]
    for column in range(2):
        sign = np.sign(projection[:, column] @ expected[:, column])
        np.testing.assert_allclose(projection[:, column], sign * expected[:, column], rtol=1e-7, atol=1e-9)


# -- the map ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("directions_only", [False, True])
def test_the_projection_is_numpys_svd_of_the_centred_embeddings(panel, directions_only):
    panel.unit_check.setChecked(directions_only)
    panel.runner.step(40)
    vectors = embeddings(panel)
    if directions_only:
        vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    centred = vectors - vectors.mean(axis=0)
    u, singular, vt = np.linalg.svd(centred, full_matrices=False)
    extra = panel.runner.latest.extra
    assert_same_up_to_sign_and_order(extra["xy"], centred @ vt[:2].T)
    np.testing.assert_allclose(sorted(extra["share"], reverse=True), (singular**2 / (singular**2).sum())[:2])
    np.testing.assert_array_equal(panel.map.xy, extra["xy"])  # and that is what is drawn
    drawn = np.concatenate([np.column_stack(s.getData()) for s in panel.map._scatters.values() if len(s.getData()[0])])
    assert len(drawn) == len(vectors)


def test_the_axes_keep_their_orientation_from_frame_to_frame(panel):
    previous = None
    for _ in range(12):
        panel.runner.step(5)
        xy = panel.runner.latest.extra["xy"].copy()
        if previous is not None:
            for column in range(2):  # small steps: each axis still points the way it did
                assert xy[:, column] @ previous[:, column] > 0
        previous = xy


def test_principal_axes_turn_back_a_flipped_or_swapped_axis():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(60, 6)) * [5, 3, 1, 1, 1, 1]
    axes, share = principal_axes(vectors)
    again, _ = principal_axes(vectors, previous=-axes)  # the last frame had both the other way round
    np.testing.assert_allclose(again, -axes)
    swapped, swapped_share = principal_axes(vectors, previous=axes[::-1])
    np.testing.assert_allclose(swapped, axes[::-1])
    np.testing.assert_allclose(swapped_share, share[::-1])


def test_words_gather_by_kind_as_it_trains_and_the_labels_never_overlap(panel):
    for _ in range(8):
        panel.one_epoch()
    assert sum(word in ANIMALS for word, _ in panel.runner.trainer.nearest("cat", NEIGHBOURS)) >= 7
    xy = panel.map.xy
    kinds = panel.runner.probe.kind[2:]
    animals = xy[kinds == 0]
    foods = xy[kinds == 2]
    # the animals sit together, far from the foods
    assert np.linalg.norm(animals - animals.mean(axis=0), axis=1).max() < 0.3 * np.linalg.norm(
        animals.mean(axis=0) - foods.mean(axis=0)
    )
    labelled = panel.map.labelled()
    assert 5 < len(labelled) <= MAX_LABELS + NEIGHBOURS + 1
    assert all(panel.map.names[i] == text for i, text in labelled.items())
    boxes = []  # each label's box on the screen, from where its point is drawn and its text's size
    layer = panel.map.labels
    for (x, y), text, bold in zip(layer.positions, layer.texts, layer.bold, strict=True):
        point = panel.map.view_box.mapViewToScene(QPointF(x, y))
        width, height = layer.text_size(text, bold)
        boxes.append(QRectF(point.x() + layer.offset, point.y() - height / 2, width, height))
    assert len(boxes) == len(labelled)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.intersects(b)


def test_zooming_into_a_cluster_names_more_of_its_words(panel):
    for _ in range(6):
        panel.one_epoch()
    kinds = panel.runner.probe.kind[2:]
    animals = np.flatnonzero(kinds == 0)
    labelled_animals = sum(i in panel.map.labelled() for i in animals)
    centre = panel.map.xy[animals].mean(axis=0)
    spread = np.abs(panel.map.xy[animals] - centre).max()
    panel.map.view_box.setRange(
        xRange=(centre[0] - 2 * spread, centre[0] + 2 * spread), yRange=(centre[1] - 2 * spread, centre[1] + 2 * spread)
    )
    panel.map.view_box.sigRangeChangedManually.emit([True, True])  # as a wheel or a drag says it
    assert not panel.map.following
    zoomed = sum(i in panel.map.labelled() for i in animals)
    assert zoomed > labelled_animals and zoomed >= 6
    panel.step()
    assert panel.follow_button.isEnabled()
    panel.follow_button.click()
    assert panel.map.following


# -- questions --------------------------------------------------------------------------------------------
def test_clicking_a_word_lists_and_links_its_nearest_neighbours(panel, click_data):
    for _ in range(3):
        panel.one_epoch()
    index = panel.map.names.index("bread")
    panel.map.set_highlights(-1, [], [])
    click_data(panel.map, *panel.map.xy[index])
    assert panel.runner.probe.selected == panel.search_edit.text() == panel.map.names[panel.map.focus]
    word = panel.search_edit.text()
    expected = panel.runner.trainer.nearest(word, NEIGHBOURS)
    text = panel.neighbours_label.text()
    for neighbour, similarity in expected:
        assert f"<td>{neighbour}</td><td align=right>{similarity:.3f}</td>" in text
    np.testing.assert_array_equal(panel.map._focus_ring.getData()[0], [panel.map.xy[panel.map.focus, 0]])
    related = [panel.map.names.index(w) for w, _ in expected]
    np.testing.assert_array_equal(panel.map._related_ring.getData()[0], panel.map.xy[related, 0])
    links_x, _ = panel.map._links.getData()
    assert len(links_x) == 2 * NEIGHBOURS


def test_searching_a_word_picks_it_and_an_unknown_word_is_refused(panel, qtbot):
    panel.search_edit.setText("Cheese")  # (typed key by key, the completer's pop-up warns offscreen)
    qtbot.keyClick(panel.search_edit, Qt.Key.Key_Return)
    assert panel.runner.probe.selected == "cheese"
    assert panel.map.names[panel.map.focus] == "cheese"
    panel.search_edit.setText("zebra")
    qtbot.keyClick(panel.search_edit, Qt.Key.Key_Return)
    assert "“zebra” is not in the vocabulary" in panel.message.text.text()
    assert panel.runner.probe.selected == "cheese"


def test_the_analogy_and_the_matrix_are_the_models(panel):
    panel.one_epoch()
    trainer = panel.runner.trainer
    a, b, c = (edit.text() for edit in panel.analogy_edits)
    for word, similarity in trainer.analogy(a, b, c, 5):
        assert f"<b>{word}</b> {similarity:.2f}" in panel.analogy_label.text()
    panel.matrix_edit.setText("cat dog bread zebra park")
    panel.matrix_edit.editingFinished.emit()
    words = ["cat", "dog", "bread", "park"]  # the unknown word is left out
    vectors = trainer.params["embeddings"][[trainer.vocabulary.index(w) for w in words]]
    assert panel.matrix.labels == words
    np.testing.assert_allclose(panel.matrix.values, cosine_similarity(vectors), atol=1e-12)
    assert panel.matrix.cells.texts[1] == f"{cosine_similarity(vectors)[0, 1]:.2f}"


def test_the_model_writes_from_a_prefix_with_each_words_probability(panel):
    panel.one_epoch()
    panel.prefix_edit.setText("the cat")
    panel.prefix_edit.editingFinished.emit()
    panel.temperature_slider.setValue(50)
    trainer = panel.runner.trainer
    written = trainer.generate_words("the cat", GENERATED_WORDS, 0.5, 0)
    text = panel.generated_label.text()
    assert text.endswith(" ".join(f"<b>{w}</b><sub>{p:.2f}</sub>" for w, p in written))
    assert "temperature 0.50" in panel.temperature_label.text()
    panel.draw_button.click()
    assert panel.draw_box.value() == 1
    assert panel.runner.probe.generation_seed == 1
    again = trainer.generate_words("the cat", GENERATED_WORDS, 0.5, 1)
    assert panel.generated_label.text().endswith(" ".join(f"<b>{w}</b><sub>{p:.2f}</sub>" for w, p in again))


# -- a large text -------------------------------------------------------------------------------------------
def test_a_large_text_keeps_the_commonest_words_and_labels_only_what_is_legible(panel, tmp_path):
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(7000)]
    lines = [" ".join(rng.choice(words, 6)) for _ in range(8000)]  # ~6 900 different words
    path = tmp_path / "large.txt"
    path.write_text("\n".join(lines))
    assert panel.load_corpus_file(path)
    trainer = panel.runner.trainer
    assert len(trainer.vocabulary) - 2 <= MAX_WORDS and trainer.min_count > 1
    assert "count as <i>unknown</i>" in panel.corpus_box.facts.text()
    panel.step()
    assert len(panel.map.names) == len(trainer.vocabulary) - 2
    assert len(panel.map.labelled()) <= MAX_LABELS + NEIGHBOURS + 1
    assert np.isfinite(panel.map.xy).all()


# -- sessions and the real process ---------------------------------------------------------------------------
def test_a_session_restores_the_questions_asked(panel):
    panel.select_word("dog")
    panel.temperature_slider.setValue(150)
    panel.unit_check.setChecked(False)
    panel.runner.step(6)
    state = json.loads(json.dumps(panel.session_state()))
    other = EmbeddingsPanel(threaded=False)
    try:
        other.load_session_state(state)
        probe = other.runner.probe
        assert (probe.selected, probe.temperature, probe.unit_length) == ("dog", 1.5, False)
        assert other.search_edit.text() == "dog" and other.temperature_label.text() == "temperature 1.50"
        # the same picture (each axis oriented afresh: its sign is the first frame's)
        assert_same_up_to_sign_and_order(other.runner.latest.extra["xy"], panel.runner.latest.extra["xy"])
    finally:
        other.shutdown()
        other.deleteLater()


def test_through_the_real_process_the_map_moves_while_it_trains(qtbot):
    panel = EmbeddingsPanel(threaded=True)
    qtbot.addWidget(panel)
    panel.show()
    start = panel.map.xy.copy()
    panel.controls.speed_box.setCurrentText("max")
    panel.toggle_play()
    qtbot.waitUntil(lambda: panel.runner.latest.step > 500, timeout=30_000)
    panel.toggle_play()
    qtbot.waitUntil(lambda: not panel.runner.playing, timeout=5000)
    assert np.isfinite(panel.map.xy).all() and not np.allclose(panel.map.xy, start)
    assert panel.shutdown()


@pytest.mark.parametrize("panel_class", [FillBlankPanel, EmbeddingsPanel])
def test_every_term_the_explanation_links_is_in_the_glossary(panel_class):
    terms = linked_terms(panel_class.explanation_html)
    assert terms and all(term in glossary() for term in terms), [t for t in terms if t not in glossary()]


def test_a_text_too_long_to_edit_is_shown_as_a_read_only_preview(panel, tmp_path, monkeypatch):
    import primer_gui.widgets.text_source as text_source

    monkeypatch.setattr(text_source, "MAX_EDITABLE", 50)
    path = tmp_path / "long.txt"
    path.write_text("the cat naps on the sofa\n" * 10)
    assert panel.load_corpus_file(path)
    box = panel.corpus_box
    assert box.editor.isReadOnly() and box.editor.toPlainText() == path.read_text()[:50]
    assert "too long to edit here" in box.source_label.text() and not box.apply_button.isEnabled()
    assert panel.corpus.text == path.read_text()  # the whole text is learned from
    assert panel.use_text("the cat naps\nthe dog naps")  # short enough to edit
    assert not box.editor.isReadOnly() and box.editor.toPlainText() == "the cat naps\nthe dog naps"


def test_the_spread_is_said_by_direction_and_a_traded_place_is_explained():
    assert spread_text((0.31, 0.15)) == "The map shows 46 % of the spread: across 31 %, up 15 %"
    assert spread_text((0.20, 0.25)).endswith("(the two traded places while training; kept, so the map does not turn)")
