"""Damaged sessions, as a fuzzer makes them: every field of a real saved session of every tab mutated
(type, shape, NaN/Infinity, range, deletion, nesting).  Each is either refused with a message and changes
nothing, or loaded exactly — what the tab then saves is what the file said.  Never an exception, never a
tab left half-working.  (A longer run: ``PRIMER_FUZZ_EXAMPLES=2000 python -m pytest tests/test_session_fuzz.py``.)
"""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from primer_gui.panels.point_data import PointDataPanel
from primer_gui.session import read_session
from primer_gui.tabs import TABS

EXAMPLES = int(os.environ.get("PRIMER_FUZZ_EXAMPLES", "40"))

replacements = st.one_of(
    st.none(),
    st.booleans(),
    st.just(float("nan")),
    st.just(float("inf")),
    st.just(-float("inf")),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.just([]),
    st.just({}),
    st.just([[1.0, 2.0]]),
)
mutation = st.tuples(
    st.lists(st.integers(0, 10**6), min_size=1, max_size=6),  # a path into the document, by index
    st.sampled_from(["replace", "delete", "nest", "truncate", "extend", "negate", "scale"]),
    replacements,
)


def _walk(document, path):
    """(parent, key) of the node the path leads to; it stops early at a leaf."""
    parent, key, node = None, None, document
    for index in path:
        if isinstance(node, dict) and node:
            keys = sorted(node)
            parent, key = node, keys[index % len(keys)]
        elif isinstance(node, list) and node:
            parent, key = node, index % len(node)
        else:
            break
        node = parent[key]
    return parent, key


def mutate(document, path, kind, value):
    document = json.loads(json.dumps(document))  # a copy (faster than deepcopy for a word tab's pairs)
    parent, key = _walk(document, path)
    if parent is None:
        return document
    node = parent[key]
    if kind == "replace":
        parent[key] = value
    elif kind == "delete":
        del parent[key]
    elif kind == "nest":
        parent[key] = [node]
    elif kind == "truncate" and isinstance(node, list):
        parent[key] = node[: len(node) // 2]
    elif kind == "extend" and isinstance(node, list):
        parent[key] = node + node[:1]
    elif kind == "negate" and isinstance(node, (int, float)) and not isinstance(node, bool):
        parent[key] = -node - 1
    elif kind == "scale" and isinstance(node, (int, float)) and not isinstance(node, bool):
        parent[key] = node * 1e300 if isinstance(node, float) else node * 2**40
    return document


def contains(loaded, written) -> bool:
    """Everything the file said is what the tab now holds (a tab may hold settings the file left out)."""
    if isinstance(written, dict):
        return isinstance(loaded, dict) and all(k in loaded and contains(loaded[k], v) for k, v in written.items())
    if isinstance(written, list):
        return isinstance(loaded, list) and len(loaded) == len(written) and all(map(contains, loaded, written))
    if isinstance(written, float) and math.isnan(written):
        return isinstance(loaded, float) and math.isnan(loaded)
    return loaded == written


def snapshot_of(panel):
    state = json.loads(json.dumps(panel.session_state()))
    rows = panel.data.rows.copy() if isinstance(panel, PointDataPanel) else None
    return state, rows


_PANELS: dict = {}  # one panel per tab for all the examples (a word tab takes ~0.5 s to build)


@pytest.fixture(scope="module", autouse=True)
def _shut_the_panels_down():
    yield
    for panel, _state in _PANELS.values():
        panel.shutdown()
        panel.deleteLater()
    _PANELS.clear()


def fresh_panel(key):
    """The tab's panel, back at its saved starting point (a session round trip is exact: tested elsewhere)."""
    if key not in _PANELS:
        panel = next(tab for tab in TABS if tab.key == key).panel_class()(seed=0, threaded=False)
        panel.runner.step(4)
        _PANELS[key] = (panel, json.dumps(panel.session_state()))
    panel, state = _PANELS[key]
    panel.load_session_state(json.loads(state))
    return panel


#: the word tabs' sessions hold every (context, word) pair of the text: each example costs ~0.5 s there
HEAVY = {"fill_blank", "embeddings"}


@pytest.mark.parametrize("key", [tab.key for tab in TABS if tab.key not in HEAVY])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(mutation, min_size=1, max_size=2))
def test_a_mutated_session_is_refused_untouched_or_loaded_exactly(qapp, tmp_path_factory, key, mutations):
    check_mutated_session(tmp_path_factory, key, mutations)


@pytest.mark.parametrize("key", sorted(HEAVY))
@settings(
    max_examples=max(EXAMPLES // 4, 1), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutations=st.lists(mutation, min_size=1, max_size=2))
def test_a_mutated_word_tab_session_is_refused_untouched_or_loaded_exactly(qapp, tmp_path_factory, key, mutations):
    check_mutated_session(tmp_path_factory, key, mutations)


def check_mutated_session(tmp_path_factory, key, mutations):
    panel = fresh_panel(key)
    before, rows = snapshot_of(panel)
    document = {"format": "primer-session", "version": 1, "current_tab": key, "tabs": {key: before}}
    for path, kind, value in mutations:
        document = mutate(document, path, kind, value)
    path = tmp_path_factory.mktemp("fuzz") / "s.json"
    path.write_text(json.dumps(document))
    try:
        tab_state = read_session(path)["tabs"][key]
        panel.load_session_state(tab_state)
    except ValueError as error:
        assert str(error) and not str(error).endswith("..")  # a sentence
        after, after_rows = snapshot_of(panel)
        assert after == before  # nothing changed
        if rows is not None:
            np.testing.assert_array_equal(after_rows, rows)
        return
    except KeyError:
        return  # the mutation removed the tab itself: read_session's document has no such tab
    loaded, _ = snapshot_of(panel)
    written = json.loads(json.dumps(tab_state))
    assert contains(loaded, written)
    panel.step()  # and it still trains
    assert panel.runner.latest.step == panel.runner.trainer.step_count


@pytest.mark.parametrize(
    "content, reason",
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"format": "primer-session", "version": "1", "tabs": {}}', "not a whole number"),
        ('{"format": "primer-session", "version": 7, "tabs": {}}', "newer version"),
        ('{"format": "primer-session", "version": 1}', "no tabs"),
    ],
)
def test_the_file_itself_is_checked_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "s.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=reason):
        read_session(path)
