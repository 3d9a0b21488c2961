"""The question bank in the database: seeded once from the shipped file, kept by admins."""

from __future__ import annotations

import pytest

from core.accounts import User, create_user, validate_account
from core.db import Sessions
from core.errors import Forbidden, InvalidInput
from interview.practice import bank
from interview.practice.questions import QuestionNotFound, load_question_bank

FORM = {
    "id": "most-rewarding-work",
    "category": "general",
    "role": "",
    "suggested_seconds": "60",
    "text_ko": "가장 보람 있었던 일은 무엇인가요?",
    "text_en": "What was your most rewarding work?",
    "keywords_ko": "보람, 성과",
    "keywords_en": "rewarding, result",
    "tip_ko": "구체적인 사례 하나를 말씀해 보세요.",
    "tip_en": "Tell one concrete example.",
}


async def _admin(sessions: Sessions, role: str = "admin") -> User:
    return await create_user(
        sessions, validate_account(f"{role}@example.com", "관리자", "password-123", role)
    )


async def test_seeded_once_with_the_shipped_questions(sessions: Sessions) -> None:
    shipped = load_question_bank()
    assert len(shipped) >= 40
    assert await bank.ensure_seeded(sessions) == len(shipped)
    assert await bank.ensure_seeded(sessions) == 0
    general = await bank.active_questions(sessions, category="general")
    assert [q.id for q in general] == [q.id for q in shipped if q.category == "general"]


async def test_admins_add_edit_and_disable(sessions: Sessions) -> None:
    admin = await _admin(sessions)
    senior = await _admin(sessions, "senior")
    q = await bank.save(sessions, admin, FORM, question_id=None)
    assert q.keywords_ko == ("보람", "성과")
    with pytest.raises(InvalidInput) as dup:
        await bank.save(sessions, admin, FORM, question_id=None)
    assert "id" in dup.value.fields
    edited = await bank.save(
        sessions, admin, {**FORM, "text_en": "Which work rewarded you most?"}, question_id=q.id
    )
    assert edited.text_en == "Which work rewarded you most?"
    await bank.set_active(sessions, admin, q.id, False)
    assert q.id not in {x.id for x in await bank.active_questions(sessions, category="general")}
    assert q.id in {r.id for r in await bank.all_rows(sessions)}
    with pytest.raises(Forbidden):
        await bank.save(sessions, senior, FORM, question_id=q.id)
    with pytest.raises(QuestionNotFound):
        await bank.set_active(sessions, admin, "no-such-question", True)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "Not A Slug"}, "id"),
        ({"suggested_seconds": "soon"}, "suggested_seconds"),
        ({"suggested_seconds": "5"}, "suggested_seconds"),
        ({"text_ko": "English only"}, "text_ko"),
        ({"keywords_en": "a, a"}, "keywords_en"),
        ({"category": "role"}, "role"),
    ],
)
def test_bad_forms_name_the_field(change: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        bank.parse_form({**FORM, **change})
    assert field in exc.value.fields
