"""Every feedback msgid has a Korean translation with the same placeholders."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from interview.practice.feedback import render, tips
from interview.practice.feedback.i18n import catalog_path, catalog_paths, korean_catalog, translate
from interview.practice.questions import QuestionNotFound

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
MESSAGES = (*tips.ALL_MESSAGES, *render.ALL_MESSAGES, QuestionNotFound.message)


def test_every_message_is_translated_with_the_same_placeholders() -> None:
    catalog = korean_catalog()
    for msgid in MESSAGES:
        assert msgid in catalog, msgid
        korean = catalog[msgid]
        assert re.search(r"[\uac00-\ud7a3]", korean), msgid
        assert sorted(PLACEHOLDER.findall(korean)) == sorted(PLACEHOLDER.findall(msgid)), msgid


def test_catalog_is_valid_po_without_fuzzy_or_stale_entries() -> None:
    assert catalog_path().name == "feedback.po"
    ids: set[object] = set()
    for path in catalog_paths():  # feedback.po and unclear.po
        with path.open("rb") as fh:
            catalog = read_po(fh, locale="ko")
        ids |= {m.id for m in catalog if m.id}
        assert not [m.id for m in catalog if m.id and m.fuzzy]
    assert ids == set(MESSAGES)


def test_translate_fills_parameters() -> None:
    assert translate(tips.MISSING_KEYWORDS, "en", {"keywords": "safety"}) == "You could also mention: safety."
    assert translate(tips.MISSING_KEYWORDS, "ko", {"keywords": "안전"}) == "이런 내용도 말씀해 보세요: 안전."


def test_the_web_catalogs_merge_this_file() -> None:
    from web.composition import CATALOGUES
    from web.i18n import Catalogs

    _ = Catalogs.load(CATALOGUES).gettext("ko")
    assert _(render.TIPS) == "도움말:"
