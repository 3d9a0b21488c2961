"""Korean for the feedback's own words, outside the web server (the CLI and ``to_dict``).

Every tip and label is an English msgid marked with :func:`core.i18n.N_`; the Korean text
lives in one place, the practice package's ``translations/ko/feedback.po``, which the web
layer merges with the other catalogs. This module reads that same file (as data) so
``allwork feedback`` and :meth:`Feedback.to_dict` speak Korean too.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path


def catalog_path() -> Path:
    """``interview/practice/translations/ko/feedback.po``, next to this package."""
    return Path(__file__).resolve().parents[1] / "translations" / "ko" / "feedback.po"


@lru_cache(maxsize=1)
def korean_catalog() -> dict[str, str]:
    """msgid -> Korean text from feedback.po (empty when the file is not installed)."""
    path = catalog_path()
    if not path.is_file():  # not installed with the package data
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale="ko")
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str) and m.string}


def translate(message: str, language: str, params: Mapping[str, object] | None = None) -> str:
    """``message`` in ``language`` ("ko" or "en") with ``%(name)s`` filled from ``params``."""
    text = korean_catalog().get(message, message) if language == "ko" else message
    return text % dict(params) if params else text
