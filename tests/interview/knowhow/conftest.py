"""People, a hired senior and a shared practice answer for the know-how tests, inserted directly."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.accounts import Role, User
from core.db import Sessions, transaction
from interview.practice.models import PracticeSession, PracticeTake, TakeState
from matching.models import Stage
from tests.interview.rooms.conftest import make_user
from tests.matching.factory import make_pair


@dataclass
class Cast:
    coach: User
    other_coach: User
    hired: User  #: a senior whose pair reached 'hired'
    senior: User  #: a senior still looking
    company: User
    admin: User


@pytest.fixture
async def cast(sessions: Sessions) -> Cast:
    people = Cast(
        coach=await make_user(sessions, "coach@example.com", "이정숙", Role.COACH),
        other_coach=await make_user(sessions, "coach2@example.com", "박코치", Role.COACH),
        hired=await make_user(sessions, "hired@example.com", "김영수", Role.SENIOR),
        senior=await make_user(sessions, "senior@example.com", "최민호", Role.SENIOR),
        company=await make_user(sessions, "boss@example.com", "박사장", Role.COMPANY),
        admin=await make_user(sessions, "admin@example.com", "관리자", Role.ADMIN),
    )
    await make_pair(sessions, people.hired, people.company, stage=Stage.HIRED)
    # the other senior got as far as an offer, which is not a hire
    await make_pair(sessions, people.senior, people.company, stage=Stage.OFFER, company="대성오토텍")
    return people


async def shared_take(sessions: Sessions, senior: User, coach: User | None) -> PracticeTake:
    """A finished answer to the self-introduction question, in a session shared with ``coach``."""
    async with transaction(sessions) as session:
        row = PracticeSession(
            senior_id=senior.id,
            set_kind="general",
            title="일반 질문 연습",
            language="ko",
            question_ids=["self-introduction"],
            questions=[{"id": "self-introduction", "category": "general", "text_ko": "자기소개를 해 주세요"}],
            shared_coach_id=coach.id if coach else None,
        )
        session.add(row)
        await session.flush()
        take = PracticeTake(
            session_id=row.id,
            question_index=0,
            question_id="self-introduction",
            attempt=1,
            state=TakeState.DONE,
            audio_file=f"recordings/x/practice/{row.id}/1.wav",
        )
        session.add(take)
    return take
