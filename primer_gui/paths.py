"""Where the bundled resources are: inside the installed package, or beside it in a checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def resource_dir() -> Path:
    installed = _HERE / "resources"
    return installed if installed.is_dir() else _HERE.parent / "resources"


def resource(name: str) -> Path:
    path = resource_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"Bundled resource {name!r} is missing from {resource_dir()}; reinstall Primer.")
    return path
