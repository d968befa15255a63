"""Sessions: every tab's data, settings, parameters, loss history and seed in one JSON file.

Writes are atomic (a temporary file, then a rename), so a crash mid-save never
leaves a half-written session.  Reading checks the whole file before anything
is applied: a corrupt, truncated or foreign file raises ``ValueError`` with a
sentence for the person, and the open work stays as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

FORMAT = "primer-session"
VERSION = 1


def atomic_write(path: Path, text: str) -> None:
    """Write to a temporary file beside the target, then replace it: never a half-written file."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def save_session(path: str | Path, tabs: dict[str, dict], current_tab: str) -> None:
    document = {"format": FORMAT, "version": VERSION, "current_tab": current_tab, "tabs": tabs}
    atomic_write(Path(path), json.dumps(document))


def read_session(path: str | Path) -> dict:
    """The session's document, checked for shape; raises ValueError with a reason."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path.name} is not a Primer session (it is not text).") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path.name} is damaged or truncated (JSON error at line {error.lineno}).") from None
    except OSError as error:
        raise ValueError(f"Could not read {path.name}: {error.strerror}.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{path.name} is not a Primer session.")
    if document.get("version") != VERSION:
        raise ValueError(f"{path.name} was saved by another version of Primer (format {document.get('version')}).")
    if not isinstance(document.get("tabs"), dict):
        raise ValueError(f"{path.name} is damaged: it has no tabs.")
    return document
