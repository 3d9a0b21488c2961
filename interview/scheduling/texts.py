"""Scheduling's words outside a web page (e-mails, invites): its msgids in the reader's language.

The Korean lives in ``translations/ko/scheduling.po`` next to this package (the web layer merges the
same file into its catalogues for pages and notices).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _korean() -> dict[str, str]:
    path = Path(__file__).resolve().parent / "translations" / "ko" / "scheduling.po"
    if not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale="ko")
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str) and m.string}


def translate(message: str, language: str, params: Mapping[str, object] | None = None) -> str:
    """``message`` in ``language`` ("ko" or "en"), ``%(name)s`` filled from ``params``."""
    text = _korean().get(message, message) if language == "ko" else message
    return text % dict(params) if params else text


def preload() -> None:
    """Read the catalogue now (at start-up), so no request reads it on the event loop."""
    _korean()
