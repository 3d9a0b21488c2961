"""matching_0006 (issue 16): the pay wish, start date and birth year become optional without losing a
row on SQLite, where the column change copies the table (a cascade on the old table's drop would take
every career entry and interview request with it), and on PostgreSQL; a downgrade fills placeholders."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import func, inspect, select, update

from core.accounts import AccountInput, Role, User, create_user
from core.db import create_engine, session_factory, transaction
from core.migrate import downgrade, upgrade
from matching.models import CareerEntry, InterviewRequest, PairEvent, SeniorProfile
from tests.matching.factory import make_pair
from web.composition import SCHEMA

OPTIONAL = ("birth_year", "salary_min", "salary_max", "available_from")


def _run(url: str, work):
    async def go():
        engine = create_engine(url)
        try:
            return await work(session_factory(engine), engine)
        finally:
            await engine.dispose()

    return asyncio.run(go())


async def _fill(sessions, _engine) -> int:
    senior = await create_user(
        sessions, AccountInput("s@example.com", "박순자", "password-1234", Role.SENIOR)
    )
    owner: User = await create_user(
        sessions, AccountInput("o@example.com", "화성정밀", "password-1234", Role.COMPANY)
    )
    await make_pair(sessions, senior, owner)
    async with transaction(sessions) as session:
        session.add(
            CareerEntry(senior_id=senior.id, company="대성오토텍", role="팀장", years=14, duties="품질")
        )
    return senior.id


async def _counts(sessions, _engine) -> tuple[int, int, int, int]:
    async with sessions() as session:
        return tuple(
            [
                await session.scalar(select(func.count()).select_from(table))
                for table in (SeniorProfile, CareerEntry, InterviewRequest, PairEvent)
            ]
        )


async def _nullable(_sessions, engine) -> dict[str, bool]:
    async with engine.connect() as conn:
        columns = await conn.run_sync(lambda sync: inspect(sync).get_columns("senior_profiles"))
    return {c["name"]: c["nullable"] for c in columns if c["name"] in OPTIONAL}


def test_the_columns_become_optional_and_no_row_is_lost(database_url: str) -> None:
    assert _run(database_url, _nullable) == dict.fromkeys(OPTIONAL, True)
    downgrade(database_url, SCHEMA, "matching_0005")
    assert _run(database_url, _nullable) == dict.fromkeys(OPTIONAL, False)
    senior_id = _run(database_url, _fill)
    before = _run(database_url, _counts)
    assert before[1:3] == (1, 1) and before[3] >= 1

    upgrade(database_url, SCHEMA)
    assert _run(database_url, _nullable) == dict.fromkeys(OPTIONAL, True)
    assert _run(database_url, _counts) == before

    async def forget(sessions, _engine) -> None:
        async with transaction(sessions) as session:
            await session.execute(
                update(SeniorProfile)
                .where(SeniorProfile.user_id == senior_id)
                .values(dict.fromkeys(OPTIONAL))
            )

    _run(database_url, forget)
    downgrade(database_url, SCHEMA, "matching_0005")  # placeholders where nothing was given
    assert _run(database_url, _counts) == before

    async def kept(sessions, _engine) -> tuple[object, ...]:
        async with sessions() as session:
            row = (await session.execute(select(*(getattr(SeniorProfile, c) for c in OPTIONAL)))).one()
        return tuple(row)

    birth, low, high, start = _run(database_url, kept)
    assert (birth, low, high) == (1900, 0, 0) and start is not None
    assert date.fromisoformat(str(start)) <= date.today()
    upgrade(database_url, SCHEMA)
    assert _run(database_url, _counts) == before
