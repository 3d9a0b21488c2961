"""Scorecards on SQLite and PostgreSQL: the posting's criteria with a reason each, the recommendation,
one card per interviewer after the end, and the others' cards hidden until one's own is in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from core.clock import utcnow
from core.db import Sessions
from interview.rooms import scorecards, service
from interview.rooms.errors import (
    InterviewersOnly,
    InvalidScorecard,
    NotParticipant,
    RoomStateError,
    ScorecardExists,
    ScorecardsHidden,
)
from interview.rooms.models import Recommendation
from matching.criteria import DEFAULT_CRITERIA
from matching.models import InterviewRequest
from tests.matching.factory import make_pair

from .conftest import People

pytestmark = pytest.mark.postgres

DEFAULT_KEYS = [c.key for c in DEFAULT_CRITERIA]


def _card(keys: list[str], rating: int = 4, recommendation: str = "yes") -> dict[str, Any]:
    return {
        "ratings": dict.fromkeys(keys, rating),
        "reasons": {k: f"{k}: 구체적인 사례를 들어 설명함" for k in keys},
        "notes": "성실함",
        "recommendation": recommendation,
    }


async def _ended_room(sessions: Sessions, people: People, pair_id: int | None = None) -> int:
    room = await service.create_room(
        sessions,
        candidate_id=people.senior.id,
        pair_id=pair_id,
        interviewer_ids=[people.boss.id, people.hr.id],
        scheduled_start=utcnow() + timedelta(minutes=10),
    )
    await service.end_room(sessions, room.id, people.boss.id)
    return room.id


async def test_default_criteria_reasons_and_recommendation(sessions: Sessions, people: People) -> None:
    room = await service.create_room(
        sessions,
        candidate_id=people.senior.id,
        interviewer_ids=[people.boss.id, people.hr.id],
        scheduled_start=utcnow() + timedelta(minutes=10),
    )
    good = _card(DEFAULT_KEYS)
    with pytest.raises(RoomStateError):
        await scorecards.submit_scorecard(sessions, room.id, people.boss, **good)  # not ended yet
    await service.end_room(sessions, room.id, people.boss.id)
    assert [c.key for c in await scorecards.room_criteria(sessions, room.id)] == DEFAULT_KEYS
    bad: list[dict[str, Any]] = [  # some of the wrong type on purpose
        {"ratings": {}},
        {"ratings": {**good["ratings"], "skills": 6}},
        {"ratings": {**good["ratings"], "skills": 0}},
        {"ratings": {**good["ratings"], "skills": True}},
        {"ratings": {**good["ratings"], "skills": "5"}},
        {"ratings": {**good["ratings"], "다른 항목": 3}},
        {"reasons": {**good["reasons"], "skills": "   "}},
        {"reasons": {**good["reasons"], "skills": "x" * 1001}},
        {"notes": "x" * 5001},
        {"recommendation": "advance"},
        {"recommendation": ""},
    ]
    for override in bad:
        with pytest.raises(InvalidScorecard):
            await scorecards.submit_scorecard(sessions, room.id, people.boss, **{**good, **override})
    with pytest.raises(InvalidScorecard) as info:
        await scorecards.submit_scorecard(sessions, room.id, people.boss, **{**good, "reasons": {}})
    assert set(info.value.fields) == {f"reason:{k}" for k in DEFAULT_KEYS}
    with pytest.raises(InterviewersOnly):
        await scorecards.submit_scorecard(sessions, room.id, people.senior, **good)
    with pytest.raises(NotParticipant):
        await scorecards.submit_scorecard(sessions, room.id, people.other_company, **good)
    card = await scorecards.submit_scorecard(sessions, room.id, people.boss, **good)
    assert card.ratings == dict.fromkeys(DEFAULT_KEYS, 4)
    assert card.reasons["skills"] == "skills: 구체적인 사례를 들어 설명함"
    assert card.recommendation == Recommendation.YES
    mine = await scorecards.scorecard_of(sessions, room.id, people.boss)
    assert mine is not None and mine.id == card.id
    assert await scorecards.scorecard_of(sessions, room.id, people.hr) is None
    with pytest.raises(ScorecardExists):
        await scorecards.submit_scorecard(sessions, room.id, people.boss, **good)


async def test_others_scorecards_hidden_until_mine_is_submitted(sessions: Sessions, people: People) -> None:
    room_id = await _ended_room(sessions, people)
    with pytest.raises(ScorecardsHidden):  # nobody has submitted
        await scorecards.scorecards_for(sessions, room_id, people.boss)
    await scorecards.submit_scorecard(sessions, room_id, people.boss, **_card(DEFAULT_KEYS, 5, "strong_yes"))
    with pytest.raises(ScorecardsHidden):  # the boss's card is in, hr has not submitted: hr sees nothing
        await scorecards.scorecards_for(sessions, room_id, people.hr)
    assert [c.interviewer_id for c in await scorecards.scorecards_for(sessions, room_id, people.boss)] == [
        people.boss.id
    ]
    for outsider, error in ((people.senior, InterviewersOnly), (people.other_company, NotParticipant)):
        with pytest.raises(error):
            await scorecards.scorecards_for(sessions, room_id, outsider)
    await scorecards.submit_scorecard(sessions, room_id, people.hr, **_card(DEFAULT_KEYS, 2, "no"))
    seen_by_hr = await scorecards.scorecards_for(sessions, room_id, people.hr)
    assert [c.interviewer_id for c in seen_by_hr] == [people.hr.id, people.boss.id]  # one's own first
    assert [c.recommendation for c in seen_by_hr] == [Recommendation.NO, Recommendation.STRONG_YES]


async def test_the_postings_criteria_and_the_pairs_rating(sessions: Sessions, people: People) -> None:
    pair = await make_pair(sessions, people.senior, people.boss, criteria=["도면 해독", "품질 문서 작성"])
    room_id = await _ended_room(sessions, people, pair.id)
    keys = [c.key for c in await scorecards.room_criteria(sessions, room_id)]
    assert keys == ["도면 해독", "품질 문서 작성"]
    with pytest.raises(InvalidScorecard):  # the default criteria are not this job's
        await scorecards.submit_scorecard(sessions, room_id, people.boss, **_card(DEFAULT_KEYS))
    await scorecards.submit_scorecard(sessions, room_id, people.boss, **_card(keys, 5))
    async with sessions() as session:
        assert (await session.get(InterviewRequest, pair.id)).rating is None  # type: ignore[union-attr]
    await scorecards.submit_scorecard(sessions, room_id, people.hr, **_card(keys, 2))
    async with sessions() as session:
        got = await session.get(InterviewRequest, pair.id)
    assert got is not None and got.rating == 4  # round((5 + 5 + 2 + 2) / 4) = round(3.5) = 4
