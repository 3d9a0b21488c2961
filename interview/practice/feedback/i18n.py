"""Korean for the feedback's own words, outside the web server (the CLI and ``to_dict``).

Every tip and label is an English msgid marked with :func:`core.i18n.N_`; the Korean text
lives in the practice package's ``translations/ko/feedback.po`` (and ``unclear.po``, the messages
for answers the speech model did not understand), which the web layer merges with the other
catalogs. This module reads those same files (as data) so ``allwork feedback`` and
:meth:`Feedback.to_dict` speak Korean too.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

#: the practice package's catalogues that hold the feedback's messages
CATALOGUE_FILES = ("feedback.po", "unclear.po")


def catalog_path() -> Path:
    """``interview/practice/translations/ko/feedback.po``, next to this package."""
    return catalog_paths()[0]


def catalog_paths() -> tuple[Path, ...]:
    """Every catalogue of the feedback's messages (``interview/practice/translations/ko/``)."""
    folder = Path(__file__).resolve().parents[1] / "translations" / "ko"
    return tuple(folder / name for name in CATALOGUE_FILES)


@lru_cache(maxsize=1)
def korean_catalog() -> dict[str, str]:
    """msgid -> Korean text from those files (empty when they are not installed)."""
    from babel.messages.pofile import read_po

    out: dict[str, str] = {}
    for path in catalog_paths():
        if not path.is_file():  # not installed with the package data
            continue
        with path.open("rb") as fh:
            catalog = read_po(fh, locale="ko")
        out.update({str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str) and m.string})
    return out


def translate(message: str, language: str, params: Mapping[str, object] | None = None) -> str:
    """``message`` in ``language`` ("ko" or "en") with ``%(name)s`` filled from ``params``."""
    text = korean_catalog().get(message, message) if language == "ko" else message
    return text % dict(params) if params else text
