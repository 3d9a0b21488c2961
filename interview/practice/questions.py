"""The practice question bank: Korean and English, with keywords, a tip and a suggested length.

The bank ships as ``interview/practice/data/questions.json`` (written for this product;
admins keep it). :func:`load_question_bank` reads and validates it once: every question has
a stable slug id, a known category, both languages, keywords in both languages, a tip, a
suggested answer length, and role questions name a known job family.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.errors import NotFound

DATA_FILE = Path(__file__).parent / "data" / "questions.json"
CATEGORIES = ("general", "senior", "role")
ROLES = (
    "quality_control",
    "production",
    "logistics",
    "accounting",
    "sales",
    "facility_security",
    "driving",
    "care",
    "it_office",
    "construction_safety",
)
MIN_SECONDS, MAX_SECONDS = 15, 300
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


class InvalidQuestionBank(ValueError):
    """The question bank file breaks a rule; the message names the question and the field."""


class QuestionNotFound(NotFound):
    code = "question_not_found"
    message = "We could not find the practice question %(id)s."


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    category: str
    text_ko: str
    text_en: str
    suggested_seconds: int
    keywords_ko: tuple[str, ...] = ()
    keywords_en: tuple[str, ...] = ()
    tip_ko: str = ""
    tip_en: str = ""
    role: str | None = None

    def text(self, language: str) -> str:
        return self.text_ko if language == "ko" else self.text_en

    def tip(self, language: str) -> str:
        return self.tip_ko if language == "ko" else self.tip_en

    def keywords(self, language: str) -> tuple[str, ...]:
        return self.keywords_ko if language == "ko" else self.keywords_en

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "role": self.role,
            "suggested_seconds": self.suggested_seconds,
            "text_ko": self.text_ko,
            "text_en": self.text_en,
            "keywords_ko": list(self.keywords_ko),
            "keywords_en": list(self.keywords_en),
            "tip_ko": self.tip_ko,
            "tip_en": self.tip_en,
        }


def free_question(text: str) -> Question:
    """A question typed by the user (``allwork feedback --question "..."``): no keywords, no length."""
    text = text.strip()
    return Question(id="", category="custom", text_ko=text, text_en=text, suggested_seconds=0)


def _strings(value: object, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise InvalidQuestionBank(f"{where}: {name} must be a non-empty list")
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidQuestionBank(f"{where}: {name} must hold non-empty strings")
    if len({v.strip() for v in value}) != len(value):
        raise InvalidQuestionBank(f"{where}: {name} repeats a keyword")
    return tuple(v.strip() for v in value)


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidQuestionBank(f"{where}: {key} is missing")
    return value.strip()


def parse_question(item: Mapping[str, Any]) -> Question:
    """One validated :class:`Question` from its JSON object."""
    if not isinstance(item, Mapping):
        raise InvalidQuestionBank("a question must be an object")
    qid = item.get("id")
    if not isinstance(qid, str) or not _SLUG.match(qid):
        raise InvalidQuestionBank(f"question id {qid!r} is not a slug (lowercase letters, digits, hyphens)")
    where = f"question {qid}"
    category = item.get("category")
    if category not in CATEGORIES:
        raise InvalidQuestionBank(f"{where}: category must be one of {', '.join(CATEGORIES)}")
    role = item.get("role")
    if category == "role" and role not in ROLES:
        raise InvalidQuestionBank(f"{where}: a role question needs a role from {', '.join(ROLES)}")
    if category != "role" and role is not None:
        raise InvalidQuestionBank(f"{where}: only role questions have a role")
    seconds = item.get("suggested_seconds")
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise InvalidQuestionBank(f"{where}: suggested_seconds must be {MIN_SECONDS}..{MAX_SECONDS}")
    text_ko, tip_ko = _text(item, "text_ko", where), _text(item, "tip_ko", where)
    text_en, tip_en = _text(item, "text_en", where), _text(item, "tip_en", where)
    for key, value in (("text_ko", text_ko), ("tip_ko", tip_ko)):
        if not _HANGUL.search(value):
            raise InvalidQuestionBank(f"{where}: {key} must be written in Korean")
    for key, value in (("text_en", text_en), ("tip_en", tip_en)):
        if _HANGUL.search(value) or not re.search(r"[A-Za-z]", value):
            raise InvalidQuestionBank(f"{where}: {key} must be written in English")
    return Question(
        id=qid,
        category=str(category),
        text_ko=text_ko,
        text_en=text_en,
        suggested_seconds=seconds,
        keywords_ko=_strings(item.get("keywords_ko"), where, "keywords_ko"),
        keywords_en=_strings(item.get("keywords_en"), where, "keywords_en"),
        tip_ko=tip_ko,
        tip_en=tip_en,
        role=role,
    )


def parse_question_bank(data: Mapping[str, Any]) -> list[Question]:
    """Validate a whole bank (the JSON document) and return its questions in file order."""
    items = data.get("questions") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or not items:
        raise InvalidQuestionBank("the question bank has no questions")
    questions = [parse_question(item) for item in items]
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            raise InvalidQuestionBank(f"question id {q.id} is used twice")
        seen.add(q.id)
    return questions


@lru_cache(maxsize=1)
def _bank(path: Path) -> tuple[Question, ...]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidQuestionBank(f"cannot read {path.name}: {exc}") from exc
    return tuple(parse_question_bank(data))


def load_question_bank(path: Path | None = None) -> list[Question]:
    """Every question of the bank, validated (read once per process)."""
    return list(_bank(path or DATA_FILE))


def bank_labels(path: Path | None = None) -> dict[str, dict[str, dict[str, str]]]:
    """Names of the categories and job families in both languages, for pages."""
    data = json.loads((path or DATA_FILE).read_text(encoding="utf-8"))
    return {"categories": data.get("categories", {}), "roles": data.get("roles", {})}


def get_question(question_id: str, questions: Iterable[Question] | None = None) -> Question:
    for q in questions if questions is not None else load_question_bank():
        if q.id == question_id:
            return q
    raise QuestionNotFound(params={"id": question_id})


def questions_for(
    category: str | None = None, role: str | None = None, questions: Sequence[Question] | None = None
) -> list[Question]:
    """A practice set: one category, or the role questions of one job family."""
    bank = questions if questions is not None else load_question_bank()
    return [
        q for q in bank if (category is None or q.category == category) and (role is None or q.role == role)
    ]
