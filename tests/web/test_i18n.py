"""Every piece of user-facing text has a Korean translation."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from babel.messages.extract import extract_from_dir

import core.errors
from web.composition import CATALOGUES
from web.i18n import Catalogs, pick_language

ROOT = Path(__file__).resolve().parents[2]
METHODS = [
    ("web/templates/**.html", "jinja2"),
    ("**/.venv/**", "ignore"),
    ("tests/**", "ignore"),
    ("bench/**", "ignore"),
    ("**.py", "python"),
]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def _msgids() -> set[str]:
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS
    ):
        for msg in message if isinstance(message, tuple) else (message,):
            if msg:
                found.add(msg)
    return found


def _error_messages() -> set[str]:
    for pkg in ("core", "matching", "interview", "web"):
        module = importlib.import_module(pkg)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{pkg}."):
            if ".migrations" not in info.name and not info.name.endswith((".cli", "__main__")):
                importlib.import_module(info.name)
    messages: set[str] = set()
    stack = [core.errors.AllWorkError]
    while stack:
        cls = stack.pop()
        messages.add(cls.message)
        stack.extend(cls.__subclasses__())
    return messages


def test_every_msgid_has_a_korean_translation() -> None:
    ko = Catalogs.load(CATALOGUES).translations["ko"]
    ids = _msgids() | _error_messages()
    assert len(ids) > 50
    missing = sorted(m for m in ids if ko.gettext(m) == m)
    assert missing == [], f"{len(missing)} messages have no Korean translation"


def test_language_choice() -> None:
    assert pick_language(None, None, "ko") == "ko"
    assert pick_language("en", "ko", "ko") == "en"
    assert pick_language(None, "en", "ko") == "en"
    assert pick_language("fr", None, "ko") == "ko"


def test_a_param_may_be_called_message() -> None:
    """Notices carry the requester's words as ``message``; gettext's own first argument must not clash."""
    from web.composition import CATALOGUES

    _ = Catalogs.load(CATALOGUES).gettext("ko")
    text = _(
        "%(senior)s asks for an interview for %(job)s. Message: %(message)s",
        senior="김영수",
        job="품질",
        message="안녕",
    )
    assert text == "김영수님이 품질 자리 면접을 요청했습니다. 메시지: 안녕"
