"""The login throttle: failed logins counted per key, taken before the password is checked.

Each login attempt first *takes* one try from every counter it falls under, atomically, and only an
attempt that got a try from each has its password checked; a correct password gives its tries back.
Fifty parallel wrong passwords for one account therefore get exactly the limit of password checks,
and never a 500: each take is one compare-and-swap ``UPDATE`` (or an ``INSERT … ON CONFLICT DO
NOTHING`` for a new key) in its own short transaction, the same on SQLite and PostgreSQL, so a
concurrent take is retried instead of overwritten.

The counters (see :func:`login_keys`):

- ``pair:<email>|<address>``: one account from one address, at the configured limit. A guesser at
  one address stops here without locking the account's owner out from anywhere else.
- ``email:<email>``: the account from every address, at :data:`WIDE_FACTOR` times the limit, against
  guessing spread over many addresses. A browser that has logged in to this account before (its
  ``known device`` cookie, checked by the web layer) is not counted here, so its owner still gets in.
- ``ip:<address>``: one address over every account, at :data:`WIDE_FACTOR` times the limit, so a
  few mistakes at a shared office address lock nobody else out.

Reaching its limit a counter makes the next try wait 30 seconds, then 60, 120 … at most 15 minutes; the window
(``ALLWORK_LOGIN_FAILURE_WINDOW``) starts again after it has passed without a try.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utcnow
from core.db import Base, Sessions, UTCDateTime, transaction
from core.errors import TooManyAttempts

#: the account-wide and the address-wide counters allow this many times the per-(account, address) limit
WIDE_FACTOR = 4
#: compare-and-swap rounds before an attempt under heavy contention is told to wait (never a 500)
MAX_ROUNDS = 200
#: seconds the try after the limit waits; each further try past it waits twice as long, up to LONGEST_WAIT
FIRST_WAIT = 30
LONGEST_WAIT = 900


class LoginThrottle(Base):
    """Login tries counted per key (``pair:…``, ``email:…`` or ``ip:…``) inside a window."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


@dataclass(frozen=True, slots=True)
class Counter:
    key: str
    limit: int


def login_keys(email: str, address: str, max_failures: int, *, known_device: bool) -> list[Counter]:
    """The counters one login attempt falls under (see the module's description)."""
    wide = max_failures * WIDE_FACTOR
    counters = [Counter(f"pair:{email}|{address}", max_failures), Counter(f"ip:{address}", wide)]
    if not known_device:
        counters.append(Counter(f"email:{email}", wide))
    return counters


def wait_seconds(tries: int, limit: int) -> int:
    """Seconds to wait after ``tries`` counted tries: none below the limit, then 30, 60, 120 … to 15 min."""
    over = tries - limit
    return 0 if over < 0 else min(FIRST_WAIT * 2 ** min(over, 10), LONGEST_WAIT)


async def _insert_new(sessions: Sessions, key: str, now: datetime) -> None:
    async with transaction(sessions) as session:
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(LoginThrottle).values(key=key, failures=0, window_start=now, blocked_until=None)
        await session.execute(statement.on_conflict_do_nothing(index_elements=["key"]))


async def _take_one(sessions: Sessions, counter: Counter, window: int) -> None:
    """Count one try on ``counter``, or raise :class:`TooManyAttempts` while it has to wait."""
    for _ in range(MAX_ROUNDS):
        now = utcnow()
        async with sessions() as session:
            row = (
                await session.execute(
                    select(
                        LoginThrottle.failures, LoginThrottle.window_start, LoginThrottle.blocked_until
                    ).where(LoginThrottle.key == counter.key)
                )
            ).first()
        if row is None:
            await _insert_new(sessions, counter.key, now)
            continue
        failures, window_start, blocked_until = row
        if blocked_until is not None and blocked_until > now:
            raise TooManyAttempts(params={"seconds": int((blocked_until - now).total_seconds()) + 1})
        expired = now - window_start > timedelta(seconds=window)
        tries = 1 if expired else failures + 1
        wait = wait_seconds(tries, counter.limit)
        async with transaction(sessions) as session:
            result = await session.execute(
                update(LoginThrottle)
                .where(
                    LoginThrottle.key == counter.key,
                    LoginThrottle.failures == failures,
                    LoginThrottle.window_start == window_start,
                )
                .values(
                    failures=tries,
                    window_start=now if expired else window_start,
                    blocked_until=now + timedelta(seconds=wait) if wait else None,
                )
                .execution_options(synchronize_session=False)
            )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            return
    raise TooManyAttempts(params={"seconds": 2})


async def take(sessions: Sessions, counters: list[Counter], *, window: int) -> None:
    """Take one try from each counter before a password is checked.

    Raises :class:`TooManyAttempts` (with the seconds to wait) when one of them has to wait; the tries
    already taken from the others stay counted, as a refused try is one more try."""
    for counter in counters:
        await _take_one(sessions, counter, window)


async def give_back(sessions: Sessions, counters: list[Counter]) -> None:
    """A correct password: this account-and-address starts afresh, and the wide counters get their try
    back (their waits are lifted only once they are below their limits again)."""
    async with transaction(sessions) as session:
        for counter in counters:
            if counter.key.startswith("pair:"):
                await session.execute(delete(LoginThrottle).where(LoginThrottle.key == counter.key))
                continue
            await session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == counter.key, LoginThrottle.failures > 0)
                .values(failures=LoginThrottle.failures - 1)
                .execution_options(synchronize_session=False)
            )
            await session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == counter.key, LoginThrottle.failures < counter.limit)
                .values(blocked_until=None)
                .execution_options(synchronize_session=False)
            )
