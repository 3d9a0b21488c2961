"""The pair pipeline: stages move only along the allowed steps and from the expected stage, each step is
recorded, and the company's note for the scheduler belongs to the posting's company alone."""

from __future__ import annotations

import pytest

from core.accounts import AccountInput, Role, User, create_user
from core.db import Sessions, transaction
from core.errors import InvalidInput
from matching import pipeline
from matching.errors import PairNotFound, WrongStage
from matching.models import InterviewRequest, Stage

from .factory import make_pair

pytestmark = pytest.mark.postgres


async def _user(sessions: Sessions, email: str, role: Role) -> User:
    return await create_user(sessions, AccountInput(email, email.split("@")[0], "password-1234", role))


async def test_moves_follow_the_allowed_steps_and_are_recorded(sessions: Sessions) -> None:
    senior = await _user(sessions, "senior@example.com", Role.SENIOR)
    owner = await _user(sessions, "owner@example.com", Role.COMPANY)
    made = await make_pair(sessions, senior, owner, stage=Stage.REQUESTED)
    before = len(await pipeline.history(sessions, made.id))
    async with transaction(sessions) as session:
        pair = await session.get(InterviewRequest, made.id)
        assert pair is not None
        with pytest.raises(WrongStage):  # requested cannot jump to hired
            await pipeline.move(session, pair, Stage.HIRED, actor_id=owner.id)
        with pytest.raises(WrongStage):  # the page showed another stage
            await pipeline.move(
                session, pair, Stage.DECLINED, actor_id=owner.id, expected={Stage.INTERVIEWED}
            )
        event = await pipeline.move(session, pair, Stage.SCHEDULED, actor_id=owner.id, reason="booked")
        assert event is not None and event.from_stage == Stage.REQUESTED
        assert await pipeline.move(session, pair, Stage.SCHEDULED, actor_id=owner.id) is None  # no change
    steps = await pipeline.history(sessions, made.id)
    assert len(steps) == before + 1 and steps[-1].to_stage == Stage.SCHEDULED and steps[-1].reason == "booked"


async def test_the_company_note_is_the_companys_alone(sessions: Sessions) -> None:
    senior = await _user(sessions, "senior@example.com", Role.SENIOR)
    owner = await _user(sessions, "owner@example.com", Role.COMPANY)
    other = await _user(sessions, "other@example.com", Role.COMPANY)
    pair = await make_pair(sessions, senior, owner, stage=Stage.REQUESTED)
    saved = await pipeline.set_company_note(sessions, owner, pair.id, "  화·목 오후, 면접관 두 명  ")
    assert saved.company_note == "화·목 오후, 면접관 두 명"
    with pytest.raises(PairNotFound):
        await pipeline.set_company_note(sessions, other, pair.id, "남의 메모")
    with pytest.raises(InvalidInput):
        await pipeline.set_company_note(sessions, owner, pair.id, "x" * 1001)
    info = await pipeline.pair_info(sessions, pair.id)
    assert info.pair.company_note == "화·목 오후, 면접관 두 명"
    done = await make_pair(sessions, senior, owner, stage=Stage.INTERVIEWED, title="경비")
    with pytest.raises(WrongStage):
        await pipeline.set_company_note(sessions, owner, done.id, "늦은 메모")
