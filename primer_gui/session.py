"""Sessions: every tab's data, settings, parameters, history and random state in one JSON file.

Writes are atomic (a temporary file beside the target, flushed to disk, then
renamed over it), so a crash or a full disk mid-save never leaves a half-written
session, and a failed save removes its temporary file and says what failed in
words.  Reading checks the file's shape here and each tab's part in its panel,
all before anything is applied: a corrupt, truncated, foreign or absurdly large
file raises ``ValueError`` with a sentence for the person, and the open work
stays as it was.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FORMAT = "primer-session"
VERSION = 1
#: a session larger than this is refused before it is read: every tab at its limit of points fits
#: (200 000, kept twice: the points and the trainer's copy), and parsing takes a few seconds at most
MAX_BYTES = 100_000_000


def atomic_write(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` all at once, or not at all; raises OSError with a plain reason."""
    path = Path(path)
    if path.is_dir():
        raise OSError(f"{path.name} is a folder, not a file.")
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise OSError(f"Could not write {path.name}: {reason[0].lower() + reason[1:]}.") from None


def save_session(path: str | Path, tabs: dict[str, dict], current_tab: str) -> None:
    document = {"format": FORMAT, "version": VERSION, "current_tab": current_tab, "tabs": tabs}
    atomic_write(Path(path), json.dumps(document))


def read_session(path: str | Path) -> dict:
    """The session's document, checked for shape; raises ValueError with a reason."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"{path.name} is larger than {MAX_BYTES // 1_000_000} MB; it is not a Primer session.")
        text = path.read_text(encoding="utf-8")
        document = json.loads(text)
    except UnicodeDecodeError:
        raise ValueError(f"{path.name} is not a Primer session (it is not text).") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path.name} is damaged or truncated (JSON error at line {error.lineno}).") from None
    except RecursionError:
        raise ValueError(f"{path.name} is damaged: it is nested too deeply to be a session.") from None
    except OSError as error:
        raise ValueError(f"Could not read {path.name}: {error.strerror or error}.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{path.name} is not a Primer session.")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValueError(f"{path.name} is damaged: its format version is {version!r}, not a whole number.")
    if version != VERSION:
        newer = "a newer" if version > VERSION else "an older"
        raise ValueError(
            f"{path.name} was saved by {newer} version of Primer (session format {version}); "
            f"this one reads format {VERSION}."
        )
    if not isinstance(document.get("tabs"), dict):
        raise ValueError(f"{path.name} is damaged: it has no tabs.")
    return document
