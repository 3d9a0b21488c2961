"""A coach's review of one practice answer: ratings per criterion, an overall note, sending it.

A review is a draft until the coach sends it; sending tells the senior (a notice in the inbox,
pushed live to their open page after the commit), and from then on the senior sees the ratings,
the note and the coach's comments on that answer beside it. The coach's queue lists the answers
shared with them that they have not yet sent a review for, oldest first.

Every function takes the acting coach and checks, in the same transaction as the write, that the
answer's session is shared with them at that moment: a senior who stops sharing ends the coach's
access at once, and an answer deleted meanwhile is :class:`TakeNotFound` with nothing stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select

from core.accounts import Role, User
from core.clock import utcnow
from core.db import DbSession, Sessions, transaction
from core.i18n import N_
from core.notices import add_notice
from core.pubsub import PubSub
from interview.practice.coach import LONG_BODY, MAX_BODY
from interview.practice.errors import InvalidReview, TakeNotFound
from interview.practice.models import PracticeSession, PracticeTake, TakeReview, TakeState
from interview.practice.views import feedback_in

CRITERIA = ("clarity", "structure", "relevance", "confidence")
RATINGS = (1, 2, 3, 4, 5)
CRITERION_LABELS = {
    "clarity": N_("Clarity"),
    "structure": N_("Structure"),
    "relevance": N_("Relevance"),
    "confidence": N_("Confidence"),
}
#: what 1, 3 and 5 mean for each criterion, in plain words (2 and 4 lie between)
ANCHORS: dict[str, dict[int, str]] = {
    "clarity": {
        1: N_("Hard to follow; the main point is lost"),
        3: N_("Mostly clear, with a few unclear sentences"),
        5: N_("Every sentence is easy to follow"),
    },
    "structure": {
        1: N_("No order; jumps between topics"),
        3: N_("Has a beginning and an end, but the middle wanders"),
        5: N_("Situation, action and result in a clear order"),
    },
    "relevance": {
        1: N_("Does not answer the question"),
        3: N_("Answers the question, with some detours"),
        5: N_("Answers exactly what was asked, with fitting examples"),
    },
    "confidence": {
        1: N_("Hesitant; many fillers and long pauses"),
        3: N_("Steady, with some hesitation"),
        5: N_("Calm, steady and sure"),
    },
}
LEVEL_WORDS = {
    1: N_("Very weak"),
    2: N_("Weak"),
    3: N_("Fair"),
    4: N_("Good"),
    5: N_("Very good"),
}
PICK_RATING = N_("Please choose a number from 1 to 5.")
RATE_BEFORE_SENDING = N_("Please rate this before sending the review.")


@dataclass(frozen=True, slots=True)
class ReviewView:
    take_id: int
    coach_id: int | None
    coach_name: str
    ratings: dict[str, int | None]
    note: str
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One answer waiting for this coach's review, with the measures a coach looks at first."""

    take_id: int
    session_id: int
    senior_name: str
    session_title: str
    question: dict[str, Any]
    question_number: int
    attempt: int
    ended_at: datetime | None
    duration: float | None
    pace: dict[str, Any]
    fillers_per_minute: float | None
    longest_pause: float | None
    no_speech: bool
    draft: bool


async def _shared_take(session: DbSession, coach: User, take_id: int) -> tuple[PracticeSession, PracticeTake]:
    take = await session.get(PracticeTake, take_id)
    row = await session.get(PracticeSession, take.session_id) if take else None
    if (
        take is None
        or row is None
        or coach.role != Role.COACH
        or row.shared_coach_id != coach.id
        or take.state != TakeState.DONE
    ):
        raise TakeNotFound()
    return row, take


async def reviewable(sessions: Sessions, coach: User, take_id: int) -> tuple[PracticeSession, PracticeTake]:
    """The answer and its session, when the session is shared with this coach and the answer is
    finished; anything else (missing, deleted, not shared, sharing stopped) is 'not found'."""
    async with sessions() as session:
        return await _shared_take(session, coach, take_id)


def _view(review: TakeReview, coach_name: str) -> ReviewView:
    return ReviewView(
        review.take_id,
        review.coach_id,
        coach_name,
        {c: getattr(review, c) for c in CRITERIA},
        review.note,
        review.sent_at,
    )


def parse_ratings(values: Mapping[str, str], *, require_all: bool) -> dict[str, int | None]:
    """Ratings as typed (``"4"``; empty for not yet rated) -> numbers; errors by field
    ``rating_<criterion>``."""
    out: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for c in CRITERIA:
        text = (values.get(c) or "").strip()
        if not text:
            out[c] = None
            if require_all:
                errors[f"rating_{c}"] = RATE_BEFORE_SENDING
        elif text.isdigit() and int(text) in RATINGS:
            out[c] = int(text)
        else:
            errors[f"rating_{c}"] = PICK_RATING
    if errors:
        raise InvalidReview(fields=errors)
    return out


async def save_review(
    sessions: Sessions,
    coach: User,
    take_id: int,
    ratings: Mapping[str, str],
    note: str,
    *,
    send: bool = False,
    pubsub: PubSub | None = None,
) -> ReviewView:
    """Keep the coach's ratings and note for the answer; with ``send``, send it to the senior.

    Sending needs every criterion rated. Bad input stores nothing (:class:`InvalidReview` with
    every field's error). Sending again after a change tells the senior again.
    """
    note = note.strip()
    errors: dict[str, str] = {}
    parsed: dict[str, int | None] = {}
    try:
        parsed = parse_ratings(ratings, require_all=send)
    except InvalidReview as exc:
        errors.update(exc.fields)
    if len(note) > MAX_BODY:
        errors["note"] = LONG_BODY
    async with transaction(sessions) as session:
        row, take = await _shared_take(session, coach, take_id)
        if errors:
            raise InvalidReview(fields=errors)
        review = await session.scalar(
            select(TakeReview).where(TakeReview.take_id == take.id, TakeReview.coach_id == coach.id)
        )
        if review is None:
            review = TakeReview(take_id=take.id, session_id=row.id, coach_id=coach.id, note="")
            session.add(review)
        for c in CRITERIA:
            setattr(review, c, parsed[c])
        review.note = note
        review.updated_at = utcnow()
        if send:
            review.sent_at = utcnow()
            await add_notice(
                session,
                row.senior_id,
                "practice.review",
                N_("%(name)s reviewed your answer to question %(n)s"),
                {"name": coach.name, "n": take.question_index + 1},
                url=f"/practice/{row.id}/result#take-{take.id}",
                pubsub=pubsub,
            )
        await session.flush()
        return _view(review, coach.name)


async def review_by(sessions: Sessions, coach: User, take_id: int) -> ReviewView | None:
    """This coach's review of the answer (a draft or sent), if any."""
    async with sessions() as session:
        review = await session.scalar(
            select(TakeReview).where(TakeReview.take_id == take_id, TakeReview.coach_id == coach.id)
        )
        return _view(review, coach.name) if review else None


async def sent_reviews(sessions: Sessions, session_id: int) -> dict[int, list[ReviewView]]:
    """Take id -> the reviews sent to the senior for the answers of this session."""
    async with sessions() as session:
        rows = await session.execute(
            select(TakeReview, User.name)
            .outerjoin(User, User.id == TakeReview.coach_id)
            .where(TakeReview.session_id == session_id, TakeReview.sent_at.is_not(None))
            .order_by(TakeReview.sent_at)
        )
        out: dict[int, list[ReviewView]] = {}
        for review, name in rows.all():
            out.setdefault(review.take_id, []).append(_view(review, name or ""))
        return out


async def queue(sessions: Sessions, coach: User, *, language: str = "ko") -> list[QueueItem]:
    """Finished answers shared with this coach that they have not sent a review for, oldest first.

    Only the answer that counts for each question (the last finished one) is listed."""
    if coach.role != Role.COACH:
        return []
    async with sessions() as session:
        rows = (
            await session.execute(
                select(PracticeTake, PracticeSession, User.name, TakeReview.id, TakeReview.sent_at)
                .join(PracticeSession, PracticeSession.id == PracticeTake.session_id)
                .join(User, User.id == PracticeSession.senior_id)
                .outerjoin(
                    TakeReview,
                    and_(TakeReview.take_id == PracticeTake.id, TakeReview.coach_id == coach.id),
                )
                .where(PracticeSession.shared_coach_id == coach.id, PracticeTake.state == TakeState.DONE)
                .order_by(PracticeTake.session_id, PracticeTake.question_index, PracticeTake.attempt)
            )
        ).all()
    counting: dict[tuple[int, int], Any] = {}
    for r in rows:
        counting[(r[0].session_id, r[0].question_index)] = r  # the last finished take wins
    items = []
    for take, row, name, review_id, sent_at in counting.values():
        if sent_at is not None:
            continue
        data = feedback_in(take, language) or {}
        q = row.questions[take.question_index] if 0 <= take.question_index < len(row.questions) else {}
        items.append(
            QueueItem(
                take_id=take.id,
                session_id=row.id,
                senior_name=name,
                session_title=row.title,
                question=dict(q),
                question_number=take.question_index + 1,
                attempt=take.attempt,
                ended_at=take.ended_at or take.started_at,
                duration=take.duration,
                pace=dict(data.get("pace") or {}),
                fillers_per_minute=(data.get("filler_rate") or {}).get("per_minute"),
                longest_pause=(data.get("longest_pause") or {}).get("duration"),
                no_speech=bool(data.get("no_speech")),
                draft=review_id is not None,
            )
        )
    items.sort(key=lambda i: (i.ended_at or utcnow(), i.take_id))
    return items
