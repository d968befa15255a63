"""Command line: ``primer-gui`` or ``python -m primer_gui``.

``--screenshot DIR [--steps N]`` builds the window offscreen, trains every tab
N steps, saves ``DIR/<tab>.png`` for each and exits: how we all look at the app.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from . import __version__


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    from .app import TABS

    keys = [key for _title, key, _factory in TABS]
    parser = argparse.ArgumentParser(prog="primer-gui", description="Watch and poke real machine-learning training.")
    parser.add_argument("--tab", choices=keys, help="open this tab first")
    parser.add_argument("--seed", type=int, default=0, help="seed for generated data and initial parameters")
    parser.add_argument("--version", action="version", version=f"primer-gui {__version__}")
    parser.add_argument("--screenshot", metavar="DIR", type=Path, help="save every tab as DIR/<tab>.png and exit")
    parser.add_argument("--steps", type=int, default=200, help="training steps per tab before a screenshot")
    parser.add_argument("session", nargs="?", type=Path, help="a session file to open")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from .app import APPLICATION, ORGANIZATION, MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    if args.screenshot is not None:
        from .screenshots import save_screenshots

        # screenshots must not depend on (or change) a person's saved settings
        with tempfile.TemporaryDirectory() as scratch:
            settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(seed=args.seed, tab=args.tab, threaded=False, settings=settings)
            try:
                paths = save_screenshots(window, args.screenshot, args.steps)
            finally:
                window.close()
                settings.sync()
        for path in paths:
            print(path)
        return 0
    window = MainWindow(seed=args.seed, tab=args.tab)
    window.show()
    if args.session is not None:
        window.open_session(args.session)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
