"""Korean and English through Babel catalogs.

Message ids are English. Each package keeps the Korean for its own messages in its own
``translations/ko/*.po`` (``matching/translations/ko/matching.po``, this package's
``web/translations/ko/web.po`` …); the composition root lists those folders
(``web.composition.CATALOGUES``) and :meth:`Catalogs.load` compiles them in memory at
start-up and merges them, so nothing generated is kept in the repository. English needs
no catalog.

The language of a request: the ``lang`` cookie (set by the language switch), else the
logged-in user's saved language, else the configured default (Korean).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from core.i18n import N_

__all__ = ["N_", "Catalogs", "LANGUAGES", "LANGUAGE_NAMES", "pick_language"]

LANGUAGES = ("ko", "en")
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}

Gettext = Callable[..., str]


#: each .po file compiled, with the (modification time, size) it had then: a process that loads the
#: catalogs more than once (the in-process tests build an app per test) compiles a file again only
#: when it has changed
_COMPILED: dict[tuple[Path, str], tuple[tuple[int, int], bytes]] = {}


def _compiled(po_path: Path, lang: str) -> bytes:
    stat = po_path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    known = _COMPILED.get((po_path, lang))
    if known is not None and known[0] == stamp:
        return known[1]
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    _COMPILED[(po_path, lang)] = (stamp, buf.getvalue())
    return buf.getvalue()


def _load_language(lang: str, folders: Iterable[Path]) -> NullTranslations:
    merged: Translations | None = None
    po_paths = [po for folder in folders for po in sorted((folder / lang).glob("*.po"))]
    for po_path in po_paths:
        trans = Translations(io.BytesIO(_compiled(po_path, lang)))
        if merged is None:
            merged = trans
        else:
            merged.merge(trans)
    return merged if merged is not None else NullTranslations()


@dataclass
class Catalogs:
    translations: Mapping[str, NullTranslations]

    @classmethod
    def load(cls, folders: Iterable[Path]) -> Catalogs:
        """Merge every ``<folder>/<lang>/*.po``, folder by folder; a later folder wins a shared msgid."""
        folders = tuple(folders)
        return cls(
            {
                lang: (_load_language(lang, folders) if lang != "en" else NullTranslations())
                for lang in LANGUAGES
            }
        )

    def gettext(self, lang: str) -> Gettext:
        """A ``_(msgid, **params)`` for one language; params fill ``%(name)s`` after translation."""
        trans = self.translations.get(lang) or self.translations["en"]

        def _(message: str, /, **params: object) -> str:
            text = trans.gettext(message)
            return text % params if params else text

        return _

    def ngettext(self, lang: str) -> Callable[..., str]:
        trans = self.translations.get(lang) or self.translations["en"]

        def n_(singular: str, plural: str, n: int, /, **params: object) -> str:
            text = trans.ngettext(singular, plural, n)
            return text % {"num": n, **params}

        return n_


def pick_language(cookie: str | None, user_language: str | None, default: str) -> str:
    for candidate in (cookie, user_language, default):
        if candidate in LANGUAGES:
            return str(candidate)
    return "ko"
