"""Marking user-facing text for translation.

Domain code writes English message ids and marks them with :func:`N_` so Babel's
extractor finds them; ``web`` translates them for the user's language at the edge.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` as a msgid to translate later; returns it unchanged."""
    return message
