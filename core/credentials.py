"""Keeping an account: forgotten passwords, changing a password, and an admin's help.

- :func:`request_reset` makes a single-use reset link for an email address, if an active account has it.
  The caller shows the same neutral message either way and mails the link (:func:`reset_mail`).
- :func:`issue_reset` is the admin's way for a person who cannot use email: a link shown once, to give
  by phone. Its code is 16 letters and digits in groups of four, easy to read out.
- :func:`reset_password` uses a link once: a new password, every other reset link of the account
  dropped, every login session ended.
- :func:`change_password` asks for the current password again; it too ends every session and drops
  unused reset links.
- :func:`set_active` lets an admin deactivate (all sessions end) or reactivate an account.

Reset codes are stored as SHA-256 hashes only; a code expires after ``valid_minutes``
(``ALLWORK_PASSWORD_RESET_MINUTES`` for mailed links, :data:`ADMIN_RESET_HOURS` for an admin's).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import ForeignKey, Integer, String, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from core import login_sessions
from core.accounts import MAX_PASSWORD, Role, User, hash_password, verify_password
from core.clock import utcnow
from core.db import Base, Sessions, UTCDateTime, transaction
from core.errors import AllWorkError, Forbidden, InvalidInput, NotFound
from core.i18n import N_
from core.passwords import check_new_password

#: how long a link an admin gives by phone stays usable
ADMIN_RESET_HOURS = 24
#: at most this many unused mailed links per account at a time (a flood of requests sends no more mail)
MAX_OPEN_RESETS = 3
#: letters and digits that cannot be mistaken for one another when read out (no 0/o, 1/l/i)
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 16


class PasswordReset(Base):
    """One reset link: the hash of its code, whose account it resets, until when, and whether it was used."""

    __tablename__ = "password_resets"

    #: SHA-256 (hex) of the normalised code; the code itself is never stored
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: the admin who issued it (None: asked for by email)
    issued_by: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class ResetLinkInvalid(AllWorkError):
    code = "reset_link_invalid"
    message = N_("This link does not work: it was already used or is not complete. Please ask for a new one.")
    status = 410


class ResetLinkExpired(AllWorkError):
    code = "reset_link_expired"
    message = N_("This link is too old: links work for a short time only. Please ask for a new one.")
    status = 410


class WrongPassword(InvalidInput):
    code = "wrong_password"


# --- codes -----------------------------------------------------------------------------------------


def new_code() -> str:
    """A fresh code, ``abcd-efgh-jkmn-pqrs`` (about 79 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """The code as people may type it: any case, with or without dashes or spaces."""
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())[:64]


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


# --- asking for and issuing links --------------------------------------------------------------------


async def request_reset(sessions: Sessions, email: str, *, valid_minutes: int) -> tuple[User, str] | None:
    """A reset code for the active account with ``email`` and the account, or None.

    None also when the account already has :data:`MAX_OPEN_RESETS` unused, unexpired links: the
    caller says the same neutral thing in every case, so nobody learns which addresses exist.
    """
    email = (email or "").strip().lower()[:254]
    now = utcnow()
    async with transaction(sessions) as session:
        user = await session.scalar(select(User).where(User.email == email, User.is_active.is_(True)))
        if user is None:
            return None
        open_links = await session.scalar(
            select(func.count())
            .select_from(PasswordReset)
            .where(
                PasswordReset.user_id == user.id,
                PasswordReset.used_at.is_(None),
                PasswordReset.expires_at > now,
            )
        )
        if (open_links or 0) >= MAX_OPEN_RESETS:
            return None
        code = new_code()
        session.add(
            PasswordReset(
                id=code_hash(code),
                user_id=user.id,
                created_at=now,
                expires_at=now + timedelta(minutes=valid_minutes),
            )
        )
    return user, code


async def issue_reset(sessions: Sessions, actor: User, user_id: int) -> tuple[User, str]:
    """An admin's reset code for ``user_id``, valid for :data:`ADMIN_RESET_HOURS`, shown to the admin once."""
    if actor.role is not Role.ADMIN:
        raise Forbidden()
    now = utcnow()
    async with transaction(sessions) as session:
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound()
        if not user.is_active:
            raise InvalidInput(N_("This account is switched off. Switch it on first."))
        code = new_code()
        session.add(
            PasswordReset(
                id=code_hash(code),
                user_id=user.id,
                created_at=now,
                expires_at=now + timedelta(hours=ADMIN_RESET_HOURS),
                issued_by=actor.id,
            )
        )
    return user, code


def reset_mail(*, to: str, name: str, link: str, minutes: int, _: Callable[..., str]) -> EmailMessage:
    """The e-mail with the reset link, in the language of ``_``."""
    mail = EmailMessage()
    mail["To"] = to
    mail["Subject"] = _("Set a new password for AllWork Interview")
    lines = [
        _("Hello, %(name)s.", name=name),
        "",
        _("Someone asked to set a new password for your account. To choose a new password, open this link:"),
        "",
        link,
        "",
        _("The link works once, for %(minutes)s minutes.", minutes=minutes),
        _("If you did not ask for this, you can ignore this e-mail: your password stays as it is."),
    ]
    mail.set_content("\n".join(lines))
    return mail


# --- using a link ----------------------------------------------------------------------------------


async def _usable_reset(session: AsyncSession, code: str) -> tuple[PasswordReset, User]:
    normalised = normalise_code(code)
    if len(normalised) != CODE_LENGTH:
        raise ResetLinkInvalid()
    reset = await session.get(PasswordReset, code_hash(normalised))
    if reset is None or reset.used_at is not None:
        raise ResetLinkInvalid()
    if reset.expires_at <= utcnow():
        raise ResetLinkExpired()
    user = await session.get(User, reset.user_id)
    if user is None or not user.is_active:
        raise ResetLinkInvalid()
    return reset, user


async def reset_link_user(sessions: Sessions, code: str) -> User:
    """The account a still-usable code resets.

    Raises :class:`ResetLinkInvalid` (unknown, used, incomplete) or :class:`ResetLinkExpired`."""
    async with sessions() as session:
        _, user = await _usable_reset(session, code)
        return user


def _check_pair(new: str, again: str) -> None:
    if len(new or "") > MAX_PASSWORD:
        raise InvalidInput(fields={"password": N_("The password is too long.")})
    if new != again:
        raise InvalidInput(fields={"password2": N_("The two passwords are not the same.")})


async def _store_password(session: AsyncSession, user: User, password_hash: str) -> None:
    """A new password: every unused reset link of the account dropped, every session ended."""
    user.password_hash = password_hash
    now = utcnow()
    await session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    await login_sessions.end_all(session, user.id)


async def reset_password(sessions: Sessions, code: str, new: str, again: str) -> User:
    """Set a new password with a reset code, once.

    Raises :class:`ResetLinkInvalid`, :class:`ResetLinkExpired`, or :class:`InvalidInput` (a weak password,
    or the two not the same: then the code stays usable)."""
    user = await reset_link_user(sessions, code)
    _check_pair(new, again)
    await check_new_password(new, email=user.email, name=user.name)
    new_hash = await asyncio.to_thread(hash_password, new)
    async with transaction(sessions) as session:
        reset, user = await _usable_reset(session, code)
        # single use even when two requests race: only one UPDATE finds it unused
        taken = await session.execute(
            update(PasswordReset)
            .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
            .values(used_at=utcnow())
        )
        if getattr(taken, "rowcount", 0) != 1:
            raise ResetLinkInvalid()
        await _store_password(session, user, new_hash)
    return user


async def change_password(sessions: Sessions, actor: User, current: str, new: str, again: str) -> User:
    """``actor`` changes their own password, giving the current one again. Every session of theirs ends
    (the caller starts a fresh one for this browser). Raises :class:`InvalidInput` beside the field."""
    ok = await asyncio.to_thread(verify_password, actor.password_hash, (current or "")[:MAX_PASSWORD])
    if not ok:
        raise WrongPassword(fields={"current": N_("This is not your current password.")})
    _check_pair(new, again)
    if new == current:
        raise InvalidInput(fields={"password": N_("Please choose a password other than the current one.")})
    await check_new_password(new, email=actor.email, name=actor.name)
    new_hash = await asyncio.to_thread(hash_password, new)
    async with transaction(sessions) as session:
        user = await session.get(User, actor.id)
        if user is None or not user.is_active:
            raise Forbidden()
        if user.password_hash != actor.password_hash:
            raise WrongPassword(fields={"current": N_("This is not your current password.")})
        await _store_password(session, user, new_hash)
    return user


# --- an admin's switches -----------------------------------------------------------------------------


async def set_active(sessions: Sessions, actor: User, user_id: int, active: bool) -> User:
    """An admin switches an account off (its sessions and reset links end) or on again.

    An admin cannot switch off their own account (someone must be left to switch it on)."""
    if actor.role is not Role.ADMIN:
        raise Forbidden()
    if not active and user_id == actor.id:
        raise InvalidInput(N_("You cannot switch off your own account."))
    async with transaction(sessions) as session:
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound()
        user.is_active = active
        if not active:
            await session.execute(
                update(PasswordReset)
                .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                .values(used_at=utcnow())
            )
            await login_sessions.end_all(session, user.id)
    return user


async def account_of(sessions: Sessions, actor: User, user_id: int) -> User:
    """Any account (active or not), for an admin's account page."""
    if actor.role is not Role.ADMIN:
        raise Forbidden()
    async with sessions() as session:
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound()
        return user
