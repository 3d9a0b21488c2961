"""The question bank in the database, kept by admins: list, add, edit, disable.

It is seeded from the shipped bank (:func:`interview.practice.questions.load_question_bank`)
the first time it is used; later admin edits are kept and never overwritten. Every change goes
through :func:`interview.practice.questions.parse_question`, so the database holds only
questions the shipped file would accept.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.accounts import Role, User
from core.db import Sessions, transaction
from core.errors import Forbidden, InvalidInput
from core.i18n import N_
from interview.practice.models import PracticeQuestion
from interview.practice.questions import (
    InvalidQuestionBank,
    Question,
    QuestionNotFound,
    load_question_bank,
    parse_question,
)

log = logging.getLogger(__name__)

#: form fields of the admin page, in order
FIELDS = (
    "id",
    "category",
    "role",
    "suggested_seconds",
    "text_ko",
    "text_en",
    "keywords_ko",
    "keywords_en",
    "tip_ko",
    "tip_en",
)


def to_question(row: PracticeQuestion) -> Question:
    return Question(
        id=row.id,
        category=row.category,
        text_ko=row.text_ko,
        text_en=row.text_en,
        suggested_seconds=row.suggested_seconds,
        keywords_ko=tuple(row.keywords_ko or ()),
        keywords_en=tuple(row.keywords_en or ()),
        tip_ko=row.tip_ko,
        tip_en=row.tip_en,
        role=row.role,
    )


async def ensure_seeded(sessions: Sessions) -> int:
    """Fill an empty bank from the shipped questions; returns how many were added."""
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(PracticeQuestion))
    if count:
        return 0
    shipped = load_question_bank()
    try:
        async with transaction(sessions) as session:
            for pos, q in enumerate(shipped):
                session.add(_row(q, position=pos))
    except IntegrityError:  # another process seeded it at the same moment
        return 0
    log.info("seeded the practice question bank with %d questions", len(shipped))
    return len(shipped)


def _row(q: Question, *, position: int) -> PracticeQuestion:
    return PracticeQuestion(
        id=q.id,
        category=q.category,
        role=q.role,
        text_ko=q.text_ko,
        text_en=q.text_en,
        suggested_seconds=q.suggested_seconds,
        keywords_ko=list(q.keywords_ko),
        keywords_en=list(q.keywords_en),
        tip_ko=q.tip_ko,
        tip_en=q.tip_en,
        active=True,
        position=position,
    )


async def all_rows(sessions: Sessions) -> list[PracticeQuestion]:
    await ensure_seeded(sessions)
    async with sessions() as session:
        rows = await session.scalars(
            select(PracticeQuestion).order_by(PracticeQuestion.category, PracticeQuestion.position)
        )
        return list(rows.all())


async def active_questions(
    sessions: Sessions, *, category: str | None = None, role: str | None = None
) -> list[Question]:
    await ensure_seeded(sessions)
    stmt = select(PracticeQuestion).where(PracticeQuestion.active.is_(True))
    if category is not None:
        stmt = stmt.where(PracticeQuestion.category == category)
    if role is not None:
        stmt = stmt.where(PracticeQuestion.role == role)
    async with sessions() as session:
        rows = await session.scalars(stmt.order_by(PracticeQuestion.position, PracticeQuestion.id))
        return [to_question(r) for r in rows.all()]


async def get_row(sessions: Sessions, question_id: str) -> PracticeQuestion:
    async with sessions() as session:
        row = await session.get(PracticeQuestion, question_id)
    if row is None:
        raise QuestionNotFound(params={"id": question_id})
    return row


def parse_form(data: Mapping[str, str]) -> Question:
    """A question from the admin form (keywords comma-separated); errors name the field."""
    item: dict[str, Any] = {k: (data.get(k) or "").strip() for k in FIELDS}
    item["role"] = item["role"] or None
    try:
        item["suggested_seconds"] = int(item["suggested_seconds"])
    except ValueError:
        raise InvalidInput(fields={"suggested_seconds": N_("Please enter a number of seconds.")}) from None
    for key in ("keywords_ko", "keywords_en"):
        item[key] = [k.strip() for k in str(item[key]).split(",") if k.strip()]
    try:
        return parse_question(item)
    except InvalidQuestionBank as exc:
        field = next((f for f in FIELDS if f in str(exc)), "id")
        raise InvalidInput(fields={field: _FIELD_MESSAGES.get(field, _FIELD_MESSAGES["id"])}) from None


_FIELD_MESSAGES = {
    "id": N_("Use lowercase English letters, digits and hyphens, like my-question."),
    "category": N_("Please choose a category."),
    "role": N_("Role questions need a job family; other questions have none."),
    "suggested_seconds": N_("Please enter between 15 and 300 seconds."),
    "text_ko": N_("Please write the question in Korean."),
    "text_en": N_("Please write the question in English."),
    "keywords_ko": N_("Please give Korean keywords, separated by commas, without repeats."),
    "keywords_en": N_("Please give English keywords, separated by commas, without repeats."),
    "tip_ko": N_("Please write the tip in Korean."),
    "tip_en": N_("Please write the tip in English."),
}


async def save(
    sessions: Sessions, admin: User, data: Mapping[str, str], *, question_id: str | None
) -> Question:
    """Add a question (``question_id`` None) or change one; its id never changes."""
    if admin.role != Role.ADMIN:
        raise Forbidden()
    if question_id is not None:
        data = {**data, "id": question_id}
    q = parse_form(data)
    await ensure_seeded(sessions)
    async with transaction(sessions) as session:
        row = await session.get(PracticeQuestion, q.id)
        if question_id is None:
            if row is not None:
                raise InvalidInput(
                    fields={"id": N_("A question with this id exists. Please choose another id.")}
                )
            last = await session.scalar(select(func.max(PracticeQuestion.position)))
            row = _row(q, position=(last or 0) + 1)
            session.add(row)
        elif row is None:
            raise QuestionNotFound(params={"id": question_id})
        else:
            for key in FIELDS[1:]:
                setattr(row, key, list(getattr(q, key)) if key.startswith("keywords") else getattr(q, key))
        row.updated_by = admin.id
    return q


async def set_active(sessions: Sessions, admin: User, question_id: str, active: bool) -> None:
    if admin.role != Role.ADMIN:
        raise Forbidden()
    async with transaction(sessions) as session:
        row = await session.get(PracticeQuestion, question_id)
        if row is None:
            raise QuestionNotFound(params={"id": question_id})
        row.active = active
        row.updated_by = admin.id


def least_practised(questions: Sequence[Question], counts: Mapping[str, int], n: int) -> list[Question]:
    """The ``n`` questions this senior answered least often, bank order breaking ties."""
    order = {q.id: i for i, q in enumerate(questions)}
    ranked = sorted(questions, key=lambda q: (counts.get(q.id, 0), order[q.id]))
    chosen = {q.id for q in ranked[:n]}
    return [q for q in questions if q.id in chosen]
