"""Accounts and roles: who can log in, with which role, and the login throttle.

Passwords are hashed with Argon2id (argon2-cffi). A failed login is answered with one
generic message; every try is counted before its password is checked, per account and
address, per address and per account, and past a limit the next try waits, doubling each
time (see :mod:`core.throttle`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from core import throttle
from core.clock import utcnow
from core.db import Base, Sessions, UTCDateTime, transaction
from core.errors import EmailTaken, InvalidInput, LoginFailed
from core.i18n import N_
from core.localtime import is_valid_zone
from core.throttle import LoginThrottle  # noqa: F401  (its home was here)


class Role(enum.StrEnum):
    SENIOR = "senior"
    COMPANY = "company"
    COACH = "coach"
    SCHEDULER = "scheduler"
    ADMIN = "admin"


#: roles a visitor may choose on the sign-up form; the others are created by an admin
SELF_SIGNUP_ROLES = (Role.SENIOR, Role.COMPANY)


#: where most of our users live; every time a person reads is in their zone, this one by default
DEFAULT_TIME_ZONE = "Asia/Seoul"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            name="user_role",
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), default="ko")
    #: the IANA zone every time is shown in for this person (people abroad change it)
    time_zone: Mapped[str] = mapped_column(
        String(64), default=DEFAULT_TIME_ZONE, server_default=DEFAULT_TIME_ZONE
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


_hasher = PasswordHasher()
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 256


@dataclass(frozen=True, slots=True)
class AccountInput:
    email: str
    name: str
    password: str
    role: Role
    language: str = "ko"


def validate_account(email: str, name: str, password: str, role: str, language: str = "ko") -> AccountInput:
    """Check a new account's fields; raise :class:`InvalidInput` with one message per bad field."""
    fields: dict[str, str] = {}
    email = (email or "").strip().lower()
    name = (name or "").strip()
    if not EMAIL_RE.match(email) or len(email) > 254:
        fields["email"] = N_("Please enter an email address like name@example.com.")
    if not name:
        fields["name"] = N_("Please enter your name.")
    elif len(name) > 100:
        fields["name"] = N_("Please keep the name under 100 characters.")
    if len(password or "") < MIN_PASSWORD:
        fields["password"] = N_("The password needs at least 8 characters.")
    elif len(password) > MAX_PASSWORD:
        fields["password"] = N_("The password is too long.")
    try:
        role_value = Role(role)
    except ValueError:
        fields["role"] = N_("Please choose what kind of account you need.")
        role_value = Role.SENIOR
    if language not in ("ko", "en"):
        language = "ko"
    if fields:
        raise InvalidInput(fields=fields)
    return AccountInput(email, name, password, role_value, language)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def create_user(sessions: Sessions, data: AccountInput, *, created_by: int | None = None) -> User:
    # hash outside the transaction: Argon2 takes tens of milliseconds of CPU
    import asyncio

    password_hash = await asyncio.to_thread(hash_password, data.password)
    async with transaction(sessions) as session:
        exists = await session.scalar(select(User.id).where(User.email == data.email))
        if exists is not None:
            raise EmailTaken(fields={"email": EmailTaken.message})
        user = User(
            email=data.email,
            name=data.name,
            role=data.role,
            password_hash=password_hash,
            language=data.language,
            created_by=created_by,
        )
        session.add(user)
    return user


async def get_user(sessions: Sessions, user_id: int) -> User | None:
    async with sessions() as session:
        user = await session.get(User, user_id)
        return user if user is not None and user.is_active else None


async def user_by_email(sessions: Sessions, email: str) -> User | None:
    """The account with this email (active or not), or None; the email is compared as stored (lower case)."""
    async with sessions() as session:
        return await session.scalar(select(User).where(User.email == email.strip().lower()))


async def recent_users(sessions: Sessions, limit: int = 50) -> list[User]:
    """The ``limit`` most recently created accounts, newest first (active or not)."""
    async with sessions() as session:
        rows = await session.scalars(
            select(User).order_by(User.created_at.desc(), User.id.desc()).limit(limit)
        )
        return list(rows)


async def count_by_role(sessions: Sessions) -> dict[str, int]:
    """How many accounts each role has, by role value (``{"senior": 12}``); roles with none are absent."""
    async with sessions() as session:
        rows = await session.execute(select(User.role, func.count()).group_by(User.role))
        return {Role(role).value: n for role, n in rows.all()}


async def names_of(sessions: Sessions, user_ids: Iterable[int]) -> dict[int, str]:
    """The names of these users by id; unknown ids are left out."""
    ids = set(user_ids)
    if not ids:
        return {}
    async with sessions() as session:
        rows = await session.execute(select(User.id, User.name).where(User.id.in_(ids)))
        return {uid: name for uid, name in rows.all()}


async def active_users(sessions: Sessions, roles: Iterable[Role], limit: int = 500) -> list[User]:
    """Active accounts with one of ``roles``, ordered by name (then id), at most ``limit``."""
    wanted = list(roles)
    if not wanted:
        return []
    async with sessions() as session:
        rows = await session.scalars(
            select(User)
            .where(User.role.in_(wanted), User.is_active.is_(True))
            .order_by(User.name, User.id)
            .limit(limit)
        )
        return list(rows)


async def set_language(sessions: Sessions, user_id: int, language: str) -> None:
    async with transaction(sessions) as session:
        user = await session.get(User, user_id)
        if user is not None:
            user.language = language


async def set_time_zone(sessions: Sessions, user_id: int, time_zone: str) -> None:
    """Show this person every time in ``time_zone``; an unknown zone raises :class:`InvalidInput`."""
    if not is_valid_zone(time_zone):
        raise InvalidInput(fields={"time_zone": N_("Please choose a time zone from the list.")})
    async with transaction(sessions) as session:
        user = await session.get(User, user_id)
        if user is not None:
            user.time_zone = time_zone


# --- login with throttling ---------------------------------------------------------------------

_DUMMY_HASH = _hasher.hash("not-a-real-password-0000")


async def login(
    sessions: Sessions,
    email: str,
    password: str,
    *,
    address: str,
    max_failures: int = 5,
    window: int = 900,
    known_device: bool = False,
) -> User:
    """Return the active user with this email and password, or raise one generic error.

    The try is counted on the throttle's counters before the password is checked (see
    :mod:`core.throttle`): :class:`TooManyAttempts` while this account from this address, the address,
    or the account from anywhere has to wait. ``known_device`` (a browser that logged in to this
    account before) is not held back by the account-wide counter, so a stranger's guesses do not lock
    the owner out."""
    import asyncio

    email = (email or "").strip().lower()[:254]
    counters = throttle.login_keys(email, address[:40], max_failures, known_device=known_device)
    await throttle.take(sessions, counters, window=window)
    async with sessions() as session:
        user = await session.scalar(select(User).where(User.email == email))
    # verify outside the transaction; compare against a dummy hash for unknown emails so timing tells nothing
    ok = await asyncio.to_thread(
        verify_password, user.password_hash if user else _DUMMY_HASH, (password or "")[:MAX_PASSWORD]
    )
    if not ok or user is None or not user.is_active:
        raise LoginFailed()
    await throttle.give_back(sessions, counters)
    return user
