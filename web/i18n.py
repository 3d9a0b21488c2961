"""Korean and English through Babel catalogs.

Message ids are English. Korean translations live in ``web/translations/ko/*.po``, one
file per area (web, matching, feedback …); they are compiled in memory at start-up and
merged, so nothing generated is kept in the repository. English needs no catalog.

The language of a request: the ``lang`` cookie (set by the language switch), else the
logged-in user's saved language, else the configured default (Korean).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from core.i18n import N_

__all__ = ["N_", "Catalogs", "LANGUAGES", "LANGUAGE_NAMES", "pick_language"]

LANGUAGES = ("ko", "en")
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}
TRANSLATIONS_DIR = Path(__file__).parent / "translations"

Gettext = Callable[..., str]


def _load_language(lang: str) -> NullTranslations:
    folder = TRANSLATIONS_DIR / lang
    merged: Translations | None = None
    for po_path in sorted(folder.glob("*.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        trans = Translations(buf)
        if merged is None:
            merged = trans
        else:
            merged.merge(trans)
    return merged if merged is not None else NullTranslations()


@dataclass
class Catalogs:
    translations: Mapping[str, NullTranslations]

    @classmethod
    def load(cls) -> Catalogs:
        return cls(
            {lang: (_load_language(lang) if lang != "en" else NullTranslations()) for lang in LANGUAGES}
        )

    def gettext(self, lang: str) -> Gettext:
        """A ``_(msgid, **params)`` for one language; params fill ``%(name)s`` after translation."""
        trans = self.translations.get(lang) or self.translations["en"]

        def _(message: str, **params: object) -> str:
            text = trans.gettext(message)
            return text % params if params else text

        return _

    def ngettext(self, lang: str) -> Callable[..., str]:
        trans = self.translations.get(lang) or self.translations["en"]

        def n_(singular: str, plural: str, n: int, **params: object) -> str:
            text = trans.ngettext(singular, plural, n)
            return text % {"num": n, **params}

        return n_


def pick_language(cookie: str | None, user_language: str | None, default: str) -> str:
    for candidate in (cookie, user_language, default):
        if candidate in LANGUAGES:
            return str(candidate)
    return "ko"
