"""The numeric core never imports Qt or pyqtgraph (DESIGN.md: arrows point one way)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Every check runs in a fresh interpreter: in this one, other tests may already have imported Qt.
CHECK_NO_GUI = textwrap.dedent(
    """
    gui = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"))
    assert not gui, f"primer_gui.core imported {gui}"
    """
)

# Every module found in the package is imported, so a new one is covered the day it lands.
EVERY_MODULE = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    import primer_gui.core as core
    names = [info.name for info in pkgutil.iter_modules(core.__path__, "primer_gui.core.")]
    for name in names:
        importlib.import_module(name)
    """
)

# The trainers exactly as DESIGN.md ("The core contract") promises them to the tabs.
PROMISED_NAMES = ("LinearRegression", "LogisticRegression", "MLP", "KMeans", "MaskedWordModel")
PROMISED_IMPORT = textwrap.dedent(
    f"""
    import sys
    from primer_gui.core import {", ".join(PROMISED_NAMES)}
    from primer_gui.core.trainer import Trainer
    for trainer in ({", ".join(PROMISED_NAMES)}):
        assert isinstance(trainer, type) and issubclass(trainer, Trainer), trainer
    """
)


def run_fresh(script: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


def test_importing_every_core_module_loads_no_qt():
    result = run_fresh(EVERY_MODULE + CHECK_NO_GUI + "print(len(names))\n")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 8  # the walk really found the modules


def test_the_promised_trainers_import_from_the_package_without_qt():
    result = run_fresh(PROMISED_IMPORT + CHECK_NO_GUI + "print('ok')\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_the_checks_can_fail():
    """The same scripts fail when Qt sneaks in, or when a promised name is missing."""
    with_qt = run_fresh("import PySide6.QtCore\n" + PROMISED_IMPORT + CHECK_NO_GUI)
    assert with_qt.returncode != 0 and "imported ['PySide6'" in with_qt.stderr, with_qt.stderr
    missing = run_fresh(PROMISED_IMPORT.replace("MaskedWordModel", "MaskedWordModelX") + CHECK_NO_GUI)
    assert missing.returncode != 0 and "MaskedWordModelX" in missing.stderr, missing.stderr
