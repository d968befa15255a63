"""Primer: watch and poke real machine-learning training."""

__version__ = "0.1.0"
