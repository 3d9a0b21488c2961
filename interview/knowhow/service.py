"""Writing, editing and moderating know-how tips; who may do which.

- A coach writes tips; they are published at once, with the coach's name.
- A senior may share a tip only once one of their interview pairs reached ``hired`` and only with an
  explicit consent to share it without their name; it waits for an admin (``pending``).
- Each author edits only their own tips (a senior's edited tip waits for an admin again); anyone
  else gets :class:`TipNotFound`, so a tip's author is never revealed.
- An admin publishes a pending tip, hides any tip, or shows a hidden one again; nobody else may.

Bad input raises :class:`InvalidTip` with one message per field and stores nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Select, select

from core.accounts import Role, User
from core.clock import utcnow
from core.db import Sessions, transaction
from core.errors import Conflict, Forbidden
from core.i18n import N_
from interview.knowhow.errors import InvalidTip, NotHired, TipNotFound
from interview.knowhow.models import STATUS_TRANSITIONS, AuthorKind, Tip, TipStatus
from interview.knowhow.search import terms_of
from interview.knowhow.tags import CATEGORY_LABELS, INDUSTRIES
from interview.knowhow.views import TipView, to_view
from matching.models import InterviewRequest, Stage

log = logging.getLogger("allwork.knowhow")

TITLE_MAX = 100
BODY_MIN, BODY_MAX = 10, 1000


@dataclass(frozen=True, slots=True)
class TipInput:
    title: str
    body: str
    category: str
    industry: str


def parse_tip(title: object, body: object, category: object, industry: object = "") -> TipInput:
    """Checked fields: a title of 1–100 characters, a body of 10–1000, a known category and industry."""
    t, b, c, i = ((v.strip() if isinstance(v, str) else "") for v in (title, body, category, industry))
    b = b.replace("\r\n", "\n")
    fields: dict[str, str] = {}
    if not t or len(t) > TITLE_MAX:
        fields["title"] = N_("Please write a short title of up to 100 characters.")
    if len(b) < BODY_MIN or len(b) > BODY_MAX:
        fields["body"] = N_("Please write the tip in 10 to 1000 characters.")
    if c not in CATEGORY_LABELS:
        fields["category"] = N_("Please choose a question type from the list.")
    if i not in INDUSTRIES:
        fields["industry"] = N_("Please choose an industry from the list.")
    if fields:
        raise InvalidTip(fields=fields)
    return TipInput(t, b, c, i)


async def is_hired(sessions: Sessions, senior: User) -> bool:
    """Whether one of the senior's interview pairs reached ``hired``."""
    if senior.role != Role.SENIOR:
        return False
    async with sessions() as session:
        found = await session.scalar(
            select(InterviewRequest.id)
            .where(InterviewRequest.senior_id == senior.id, InterviewRequest.stage == Stage.HIRED)
            .limit(1)
        )
    return found is not None


async def can_write(sessions: Sessions, user: User | None) -> bool:
    """Coaches, and seniors who were hired, may write tips."""
    if user is None:
        return False
    if user.role == Role.COACH:
        return True
    return await is_hired(sessions, user)


async def _author_kind(sessions: Sessions, actor: User) -> AuthorKind:
    if actor.role == Role.COACH:
        return AuthorKind.COACH
    if actor.role != Role.SENIOR:
        raise Forbidden()
    if not await is_hired(sessions, actor):
        raise NotHired()
    return AuthorKind.SENIOR


def _checked(kind: AuthorKind, consent: bool, *fields: object) -> TipInput:
    """The fields checked, and a senior's consent: every problem at once, one per field."""
    problems: dict[str, str] = {}
    data: TipInput | None = None
    try:
        data = parse_tip(*fields)
    except InvalidTip as exc:
        problems.update(exc.fields)
    if kind == AuthorKind.SENIOR and not consent:
        problems["consent"] = N_("Please tick the box to agree that your tip is shared without your name.")
    if problems or data is None:
        raise InvalidTip(fields=problems)
    return data


async def write_tip(
    sessions: Sessions,
    actor: User,
    *,
    title: object,
    body: object,
    category: object,
    industry: object = "",
    consent: bool = False,
) -> Tip:
    """A new tip by a coach (published) or a hired senior who consented (pending).

    Raises :class:`NotHired` for a senior who was not hired, :class:`Forbidden` for other roles,
    :class:`InvalidTip` for bad fields or a senior's missing consent.
    """
    kind = await _author_kind(sessions, actor)
    data = _checked(kind, consent, title, body, category, industry)
    terms = await terms_of(data.title, data.body)
    now = utcnow()
    tip = Tip(
        author_id=actor.id,
        author_kind=kind,
        consent_at=now if kind == AuthorKind.SENIOR else None,
        category=data.category,
        industry=data.industry,
        title=data.title,
        body=data.body,
        terms=terms,
        status=TipStatus.PUBLISHED if kind == AuthorKind.COACH else TipStatus.PENDING,
        created_at=now,
        updated_at=now,
    )
    async with transaction(sessions) as session:
        session.add(tip)
    log.info("tip %s written by user %s (%s, %s)", tip.id, actor.id, kind.value, tip.status.value)
    return tip


async def own_tip(sessions: Sessions, actor: User, tip_id: int) -> Tip:
    """The actor's own tip (to edit); anyone else's, or a missing one, is 'not found'."""
    async with sessions() as session:
        tip = await session.get(Tip, tip_id)
    if tip is None or tip.author_id != actor.id or actor.role not in (Role.COACH, Role.SENIOR):
        raise TipNotFound()
    return tip


def _move(tip: Tip, new: TipStatus) -> None:
    if new == tip.status:
        return
    if new not in STATUS_TRANSITIONS[tip.status]:
        raise Conflict()
    log.info("tip %s: %s -> %s", tip.id, tip.status.value, new.value)
    tip.status = new


async def edit_tip(
    sessions: Sessions,
    actor: User,
    tip_id: int,
    *,
    title: object,
    body: object,
    category: object,
    industry: object = "",
    consent: bool = False,
) -> Tip:
    """The author changes their tip; a senior's published tip goes back to the admin (pending)."""
    await own_tip(sessions, actor, tip_id)
    kind = await _author_kind(sessions, actor)
    data = _checked(kind, consent, title, body, category, industry)
    terms = await terms_of(data.title, data.body)
    async with transaction(sessions) as session:
        tip = await session.scalar(select(Tip).where(Tip.id == tip_id).with_for_update())
        if tip is None or tip.author_id != actor.id:
            raise TipNotFound()
        tip.title, tip.body, tip.category, tip.industry = data.title, data.body, data.category, data.industry
        tip.terms = terms
        if tip.author_kind == AuthorKind.SENIOR:
            tip.consent_at = utcnow()
            if tip.status == TipStatus.PUBLISHED:
                _move(tip, TipStatus.PENDING)
    return tip


async def moderate(sessions: Sessions, actor: User, tip_id: int, status: str) -> Tip:
    """An admin publishes, hides or shows again a tip (``status``: published or hidden)."""
    if actor.role != Role.ADMIN:
        raise Forbidden()
    try:
        new = TipStatus(status)
    except ValueError:
        raise Conflict() from None
    if new == TipStatus.PENDING:
        raise Conflict()
    async with transaction(sessions) as session:
        tip = await session.scalar(select(Tip).where(Tip.id == tip_id).with_for_update())
        if tip is None:
            raise TipNotFound()
        _move(tip, new)
        tip.moderated_by = actor.id
    return tip


async def for_moderation(sessions: Sessions, actor: User, limit: int = 200) -> list[TipView]:
    """Every tip for the admin: pending first (oldest first), then the newest of the rest."""
    if actor.role != Role.ADMIN:
        raise Forbidden()
    views = await views_of(sessions, select(Tip).order_by(Tip.created_at.desc(), Tip.id.desc()).limit(limit))
    pending = sorted((v for v in views if v.status == TipStatus.PENDING), key=lambda v: (v.created_at, v.id))
    return pending + [v for v in views if v.status != TipStatus.PENDING]


async def my_tips(sessions: Sessions, actor: User) -> list[TipView]:
    """The actor's own tips, newest first, whatever their status."""
    stmt = select(Tip).where(Tip.author_id == actor.id).order_by(Tip.created_at.desc(), Tip.id.desc())
    return await views_of(sessions, stmt)


async def views_of(sessions: Sessions, stmt: Select[Tip]) -> list[TipView]:
    async with sessions() as session:
        tips = list((await session.scalars(stmt)).all())
        ids = {t.author_id for t in tips if t.author_kind == AuthorKind.COACH and t.author_id is not None}
        rows = await session.execute(select(User.id, User.name).where(User.id.in_(ids)))
        names: dict[int, str] = {uid: name for uid, name in rows}
    return [to_view(t, names.get(t.author_id) if t.author_id is not None else None) for t in tips]
