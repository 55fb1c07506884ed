"""Extraction: quantities and attributed statements, with character offsets, from one text."""
from orbat.extract.pipeline import extract, extract_many

__all__ = ["extract", "extract_many"]
