"""The numeric core never imports Qt or pyqtgraph (DESIGN.md: arrows point one way)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Run in a fresh interpreter: in this one, other tests may already have imported Qt.
# Every module found in the package is imported, so a new one is covered the day it lands.
SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    import primer_gui.core as core
    names = [info.name for info in pkgutil.iter_modules(core.__path__, "primer_gui.core.")]
    for name in names:
        importlib.import_module(name)
    gui = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"))
    assert not gui, f"primer_gui.core imported {gui}"
    print(len(names))
    """
)


def test_importing_every_core_module_loads_no_qt():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 8  # the walk really found the modules
