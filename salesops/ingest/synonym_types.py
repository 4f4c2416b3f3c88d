"""The shape of a synonym table and its fallback confidences, shared by every language's tables."""

from __future__ import annotations

Synonym = str | tuple[str, float]
SynonymTable = dict[str, dict[str, tuple[Synonym, ...]]]

# Fallback confidences: an id column only stands in for a name, a related date only for the real one.
ID_FALLBACK = 0.7
NEAR = 0.9
