"""The primer's terms, loaded from ``resources/glossary.json`` (term → plain definition)."""

from __future__ import annotations

import json
from functools import cache

from .paths import resource


@cache
def glossary() -> dict[str, str]:
    with open(resource("glossary.json"), encoding="utf-8") as file:
        return dict(sorted(json.load(file).items()))


def link(term: str, text: str | None = None) -> str:
    """HTML for a glossary link, as the explanations write them."""
    return f'<a href="glossary:{term}">{text or term}</a>'
