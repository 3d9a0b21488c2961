"""Coach comments: at a moment or a span of words of one answer, know-how tips on a session, replies.

Only the coach a senior shared the session with may write; a comment on an answer reaches the
senior when the coach sends the answer's review (:mod:`interview.practice.reviews`), a tip at
once. The senior may answer a comment they can see; the coach may answer a reply. Sharing is
withdrawn by the senior at any time; the comments stay with the session (and go when it, or the
answer they are pinned to, is deleted).

Moments are read as people write them (:func:`parse_moment`): ``1:05``, ``7분``, ``65초``,
``7분 5초``, ``65``; a moment outside the answer is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from core.accounts import Role, User
from core.db import Sessions, transaction
from core.i18n import N_
from core.notices import add_notice
from core.pubsub import PubSub
from interview.practice.errors import InvalidReview, PracticeSessionNotFound, TakeNotFound
from interview.practice.models import (
    CoachComment,
    CommentReply,
    PracticeSession,
    PracticeTake,
    TakeReview,
    TakeState,
)

KINDS = ("comment", "tip")
MAX_BODY = 2000
#: a moment may lie this far past the recorded end (the last frame, rounding to whole seconds)
SLACK_SECONDS = 1.0
_CLOCK = re.compile(r"^(\d{1,3}):([0-5]?\d(?:\.\d+)?)$")
_WORDS = re.compile(
    r"^(?:(\d{1,3}(?:\.\d+)?)\s*(?:분|m|min|mins|minutes?))?\s*"
    r"(?:(\d{1,4}(?:\.\d+)?)\s*(?:초|s|sec|secs|seconds?)?)?$",
    re.IGNORECASE,
)

BAD_MOMENT = N_("Please write the moment like 1:05, 7분, 65초 or 7분 5초.")
OUTSIDE = N_("This moment is outside the answer. Please choose a moment within the recording.")
SPAN_ORDER = N_("The end of the span must come after its start.")
EMPTY_BODY = N_("Please write your comment.")
LONG_BODY = N_("Please keep it to 2000 characters or fewer.")


@dataclass(frozen=True, slots=True)
class ReplyView:
    id: int
    author_name: str
    from_coach: bool
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CommentView:
    id: int
    take_id: int | None
    kind: str
    at_seconds: float | None
    body: str
    coach_name: str
    end_seconds: float | None = None
    coach_id: int | None = None
    replies: list[ReplyView] = field(default_factory=list)


def parse_moment(text: str, duration: float | None = None) -> float | None:
    """``"1:05"``, ``"65초"``, ``"1분 5초"``, ``"65"`` -> 65.0; ``"7분"`` -> 420.0; empty -> None.

    Anything else, or a moment past ``duration`` (when known), raises :class:`InvalidReview`
    with the error on the field ``at``.
    """
    text = text.strip()
    if not text:
        return None
    compact = text.replace(" ", "")
    seconds: float | None = None
    if m := _CLOCK.match(compact):
        seconds = int(m.group(1)) * 60 + float(m.group(2))
    elif (m := _WORDS.match(text)) and (m.group(1) or m.group(2)):
        seconds = float(m.group(1) or 0) * 60 + float(m.group(2) or 0)
    if seconds is None:
        raise InvalidReview(fields={"at": BAD_MOMENT})
    if duration is not None and seconds > duration + SLACK_SECONDS:
        raise InvalidReview(fields={"at": OUTSIDE})
    return seconds


parse_clock = parse_moment  # the name earlier callers used


def _moments(
    at: str, until: str, duration: float | None
) -> tuple[float | None, float | None, dict[str, str]]:
    errors: dict[str, str] = {}
    start = end = None
    try:
        start = parse_moment(at, duration)
    except InvalidReview as exc:
        errors["at"] = exc.fields["at"]
    try:
        end = parse_moment(until, duration)
    except InvalidReview as exc:
        errors["until"] = exc.fields["at"]
    if end is not None and "at" not in errors and (start is None or end <= start):
        errors["until"] = SPAN_ORDER
    return start, end, errors


def _body_error(body: str) -> str | None:
    if not body:
        return EMPTY_BODY
    if len(body) > MAX_BODY:
        return LONG_BODY
    return None


async def add_comment(
    sessions: Sessions,
    coach: User,
    session_id: int,
    *,
    kind: str,
    body: str,
    take_id: int | None = None,
    at: str = "",
    until: str = "",
) -> CoachComment:
    """A tip on the session, or a comment on one finished answer at ``at`` (to ``until``).

    Every field is checked before anything is stored; the errors come together, by field
    (``body``, ``at``, ``until``). An answer deleted meanwhile is :class:`TakeNotFound`.
    """
    body = body.strip()
    if kind not in KINDS or (kind == "comment" and take_id is None):
        raise InvalidReview(fields={"body": EMPTY_BODY})
    async with transaction(sessions) as session:
        row = await session.get(PracticeSession, session_id)
        if row is None or coach.role != Role.COACH or row.shared_coach_id != coach.id:
            raise PracticeSessionNotFound()
        take = None
        if kind == "comment":
            take = await session.get(PracticeTake, take_id)
            if take is None or take.session_id != session_id or take.state != TakeState.DONE:
                raise TakeNotFound()
        errors: dict[str, str] = {}
        start = end = None
        if take is not None:
            start, end, errors = _moments(at, until, take.duration)
        if problem := _body_error(body):
            errors["body"] = problem
        if errors:
            raise InvalidReview(fields=errors)
        comment = CoachComment(
            session_id=session_id,
            take_id=take.id if take is not None else None,
            coach_id=coach.id,
            kind=kind,
            at_seconds=start,
            end_seconds=end,
            body=body,
        )
        session.add(comment)
    return comment


async def delete_comment(sessions: Sessions, coach: User, comment_id: int) -> None:
    """The coach removes their own comment (while the session is still shared with them)."""
    async with transaction(sessions) as session:
        comment = await session.get(CoachComment, comment_id)
        row = await session.get(PracticeSession, comment.session_id) if comment else None
        if comment is None or row is None or comment.coach_id != coach.id or row.shared_coach_id != coach.id:
            raise TakeNotFound()
        await session.delete(comment)


async def comments_of(sessions: Sessions, session_id: int, *, for_senior: bool = False) -> list[CommentView]:
    """The session's tips and comments with their replies, oldest first.

    ``for_senior``: only what the senior may see (tips, and comments of answers whose review the
    coach has sent)."""
    from core.accounts import User as U

    async with sessions() as session:
        rows = (
            await session.execute(
                select(CoachComment, U.name)
                .outerjoin(U, U.id == CoachComment.coach_id)
                .where(CoachComment.session_id == session_id)
                .order_by(CoachComment.at_seconds.is_(None), CoachComment.at_seconds, CoachComment.id)
            )
        ).all()
        sent: set[tuple[int, int | None]] = set()
        if for_senior:
            sent = {
                (t, c)
                for t, c in (
                    await session.execute(
                        select(TakeReview.take_id, TakeReview.coach_id).where(
                            TakeReview.session_id == session_id, TakeReview.sent_at.is_not(None)
                        )
                    )
                ).all()
            }
        ids = [c.id for c, _n in rows]
        replies: dict[int, list[ReplyView]] = {i: [] for i in ids}
        if ids:
            for r, name, role in (
                await session.execute(
                    select(CommentReply, U.name, U.role)
                    .outerjoin(U, U.id == CommentReply.author_id)
                    .where(CommentReply.comment_id.in_(ids))
                    .order_by(CommentReply.created_at, CommentReply.id)
                )
            ).all():
                replies[r.comment_id].append(
                    ReplyView(r.id, name or "", role == Role.COACH, r.body, r.created_at)
                )
    out = []
    for c, name in rows:
        if for_senior and c.kind == "comment" and (c.take_id, c.coach_id) not in sent:
            continue
        out.append(
            CommentView(
                c.id,
                c.take_id,
                c.kind,
                c.at_seconds,
                c.body,
                name or "",
                c.end_seconds,
                c.coach_id,
                replies[c.id],
            )
        )
    return out


async def reply(
    sessions: Sessions, user: User, comment_id: int, body: str, *, pubsub: PubSub | None = None
) -> CommentReply:
    """The senior answers a comment they can see, or its coach answers back; the other is told."""
    body = body.strip()
    async with transaction(sessions) as session:
        comment = await session.get(CoachComment, comment_id)
        row = await session.get(PracticeSession, comment.session_id) if comment else None
        if comment is None or row is None or comment.take_id is None:
            raise TakeNotFound()
        if user.id == row.senior_id:
            review = await session.scalar(
                select(TakeReview).where(
                    TakeReview.take_id == comment.take_id,
                    TakeReview.coach_id == comment.coach_id,
                    TakeReview.sent_at.is_not(None),
                )
            )
            if review is None:
                raise TakeNotFound()
            recipient, url = comment.coach_id, f"/coach/review/{comment.take_id}"
            if row.shared_coach_id != comment.coach_id:
                recipient = None  # the senior stopped sharing: the coach is not told
        elif user.role == Role.COACH and user.id == comment.coach_id and row.shared_coach_id == user.id:
            recipient, url = row.senior_id, f"/practice/{row.id}/result#take-{comment.take_id}"
        else:
            raise TakeNotFound()
        if problem := _body_error(body):
            raise InvalidReview(fields={"reply": problem})
        answer = CommentReply(comment_id=comment.id, author_id=user.id, body=body)
        session.add(answer)
        if recipient is not None:
            await add_notice(
                session,
                recipient,
                "practice.reply",
                N_("%(name)s replied to a comment on a practice answer"),
                {"name": user.name},
                url=url,
                pubsub=pubsub,
            )
    return answer
