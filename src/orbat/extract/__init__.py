"""Extraction: quantities and attributed statements, with character offsets, from one text."""
from orbat.extract.pipeline import extract

__all__ = ["extract"]
