"""Interview reviews on SQLite and PostgreSQL: only the pair's senior, after the interview, once; shown
on the board only after an admin approves, and then without names."""

from __future__ import annotations

import pytest

from core.accounts import Role
from core.db import Sessions
from core.errors import Forbidden, InvalidInput
from core.notices import notices_for
from matching import reviews
from matching.errors import PairNotFound, ReviewExists, ReviewNotAllowed, ReviewNotPending
from matching.models import ReviewStatus, Stage
from tests.interview.rooms.conftest import make_user
from tests.matching.factory import make_pair

pytestmark = pytest.mark.postgres

HOW = "면접관 두 분이 편하게 대해 주셨고 30분 정도 걸렸습니다."


async def test_moderation_before_the_board(sessions: Sessions) -> None:
    admin = await make_user(sessions, "admin@example.com", "관리자", Role.ADMIN)
    senior = await make_user(sessions, "senior@example.com", "김영수", Role.SENIOR)
    other = await make_user(sessions, "other@example.com", "최민호", Role.SENIOR)
    owner = await make_user(sessions, "boss@example.com", "박사장", Role.COMPANY)
    done = await make_pair(
        sessions, senior, owner, title="품질관리 책임자", company="화성정밀", industry="제조"
    )
    early = await make_pair(sessions, senior, owner, stage=Stage.SCHEDULED, company="대성오토텍")

    for how, asked in (("짧아요", ""), ("   ", ""), (HOW, "x" * 1001)):
        with pytest.raises(InvalidInput):
            await reviews.submit_review(sessions, senior, done.id, how, asked)
    with pytest.raises(PairNotFound):  # someone else's interview
        await reviews.submit_review(sessions, other, done.id, HOW)
    with pytest.raises(ReviewNotAllowed):  # not interviewed yet
        await reviews.submit_review(sessions, senior, early.id, HOW)
    review = await reviews.submit_review(
        sessions, senior, done.id, HOW, "품질 문제를 해결한 경험", "경험을 숫자로 말하세요"
    )
    assert review.status == ReviewStatus.PENDING
    with pytest.raises(ReviewExists):
        await reviews.submit_review(sessions, senior, done.id, HOW)

    assert await reviews.public_reviews(sessions) == []  # pending: not on the board
    with pytest.raises(Forbidden):
        await reviews.pending_reviews(sessions, senior)
    with pytest.raises(Forbidden):
        await reviews.moderate(sessions, senior, review.id, True)
    [waiting] = await reviews.pending_reviews(sessions, admin)
    assert (waiting.id, waiting.job_title, waiting.industry) == (review.id, "품질관리 책임자", "제조")

    await reviews.moderate(sessions, admin, review.id, True)
    [shown] = await reviews.public_reviews(sessions)
    assert (shown.job_title, shown.industry, shown.how_it_went, shown.advice) == (
        "품질관리 책임자", "제조", HOW, "경험을 숫자로 말하세요"
    )  # fmt: skip
    assert "김영수" not in repr(shown) and "화성정밀" not in repr(shown)
    assert await reviews.pending_reviews(sessions, admin) == []
    with pytest.raises(ReviewNotPending):
        await reviews.moderate(sessions, admin, review.id, False)
    assert [n.kind for n in await notices_for(sessions, senior.id)] == ["review.approved"]

    third = await make_pair(sessions, other, owner, company="한빛물류")
    rejected = await reviews.submit_review(sessions, other, third.id, "회사 사람 이름을 적은 후기입니다.")
    await reviews.moderate(sessions, admin, rejected.id, False)
    assert [r.id for r in await reviews.public_reviews(sessions)] == [review.id]
    assert (await reviews.reviews_by_pair(sessions, other.id))[third.id].status == ReviewStatus.REJECTED
