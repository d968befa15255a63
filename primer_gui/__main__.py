"""Command line: ``primer-gui`` or ``python -m primer_gui``.

``--screenshot DIR [--steps N]`` builds the window offscreen, trains every tab
N steps, saves ``DIR/<tab>.png`` for each and exits: how we all look at the app.
A value the app cannot use (a negative seed, a folder that cannot be made) is a
usage error (exit code 2) with a sentence, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from . import __version__
from .tabs import KEYS

#: seeds are what the seed boxes can show
SEED_MAX = 1_000_000


def _bounded_int(low: int, high: int, what: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be between {low:,} and {high:,}, not {value:,}")
        return value

    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="primer-gui", description="Watch and poke real machine-learning training.")
    parser.add_argument("--tab", choices=KEYS, help="open this tab first")
    parser.add_argument("--seed", type=_bounded_int(0, SEED_MAX, "the seed"), default=0, help="seed for generated data")
    parser.add_argument("--version", action="version", version=f"primer-gui {__version__}")
    parser.add_argument("--screenshot", metavar="DIR", type=Path, help="save every tab as DIR/<tab>.png and exit")
    parser.add_argument(
        "--steps",
        type=_bounded_int(0, 1_000_000, "the number of steps"),
        default=2000,
        help="training steps per tab before a screenshot (default 2000: the networks have learned by then)",
    )
    parser.add_argument("session", nargs="?", type=Path, help="a session file to open")
    args = parser.parse_args(argv)
    if args.screenshot is not None:
        try:
            args.screenshot.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            parser.error(f"cannot make the screenshot folder {args.screenshot}: {error.strerror or error}")
    return args


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
            window.confirm_discard = False
            try:
                paths = save_screenshots(window, args.screenshot, args.steps)
            except OSError as error:
                print(f"primer-gui: could not save the screenshots: {error}", file=sys.stderr)
                return 1
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
