"""Fixtures for the panel tests."""

from __future__ import annotations

from mouse import click_data  # noqa: F401 - a fixture
