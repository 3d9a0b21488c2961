"""A coach attaches library tips to one shared answer; the senior reads them; nobody else can."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from core.db import Sessions, transaction
from interview.knowhow import attachments, service
from interview.knowhow.errors import TipNotFound
from interview.practice.errors import PracticeSessionNotFound, TakeNotFound
from interview.practice.models import PracticeTake
from tests.interview.knowhow.conftest import Cast, shared_take

pytestmark = pytest.mark.postgres

BODY = "자기소개는 세 문장이면 충분합니다. 지원한 일과 이어지는 경험 하나만 고르세요."


async def test_attach_read_and_refuse(sessions: Sessions, cast: Cast) -> None:
    take = await shared_take(sessions, cast.hired, cast.coach)
    tip = await service.write_tip(
        sessions, cast.coach, title="자기소개는 1분 안에", body=BODY, category="general"
    )
    senior_tip = await service.write_tip(
        sessions, cast.hired, title="숫자 하나", body=BODY, category="general", consent=True
    )

    for stranger in (cast.other_coach, cast.senior, cast.admin):
        with pytest.raises(TakeNotFound):
            await attachments.attach(sessions, stranger, take.id, tip.id)
        with pytest.raises(PracticeSessionNotFound):
            await attachments.attached_by_take(sessions, stranger, take.session_id)
    with pytest.raises(TakeNotFound):  # the senior cannot attach to their own answer either
        await attachments.attach(sessions, cast.hired, take.id, tip.id)
    with pytest.raises(TipNotFound):  # a tip still waiting for the admin
        await attachments.attach(sessions, cast.coach, take.id, senior_tip.id)
    with pytest.raises(TipNotFound):
        await attachments.attach(sessions, cast.coach, take.id, tip.id + 1000)

    assert await attachments.attach(sessions, cast.coach, take.id, tip.id)
    assert not await attachments.attach(sessions, cast.coach, take.id, tip.id)  # once only
    for reader in (cast.hired, cast.coach):
        shown = await attachments.attached_by_take(sessions, reader, take.session_id)
        assert [(k, [t.title for t in v]) for k, v in shown.items()] == [(take.id, ["자기소개는 1분 안에"])]

    # hidden by an admin: no longer beside the answer
    await service.moderate(sessions, cast.admin, tip.id, "hidden")
    assert await attachments.attached_by_take(sessions, cast.hired, take.session_id) == {}
    await service.moderate(sessions, cast.admin, tip.id, "published")

    await attachments.detach(sessions, cast.coach, take.id, tip.id)
    assert await attachments.attached_by_take(sessions, cast.hired, take.session_id) == {}


async def test_an_attachment_goes_with_its_answer(sessions: Sessions, cast: Cast) -> None:
    take = await shared_take(sessions, cast.hired, cast.coach)
    tip = await service.write_tip(sessions, cast.coach, title="자기소개", body=BODY, category="general")
    await attachments.attach(sessions, cast.coach, take.id, tip.id)
    async with transaction(sessions) as session:
        await session.execute(delete(PracticeTake).where(PracticeTake.id == take.id))
    assert await attachments.attached_by_take(sessions, cast.hired, take.session_id) == {}
    # and the tip stays in the library
    assert (await service.own_tip(sessions, cast.coach, tip.id)).title == "자기소개"


async def test_sharing_withdrawn_means_no_attaching(sessions: Sessions, cast: Cast) -> None:
    take = await shared_take(sessions, cast.hired, None)
    tip = await service.write_tip(sessions, cast.coach, title="자기소개", body=BODY, category="general")
    with pytest.raises(TakeNotFound):
        await attachments.attach(sessions, cast.coach, take.id, tip.id)
