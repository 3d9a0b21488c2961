"""The matching demo (issue 16): its job seekers and HR people have Korean names, each HR person
manages their own company, and demo data made before the names were there gets them (SQLite and
PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import AccountInput, Role, User, create_user
from matching.demo import DEMO_NAMES, load_demo
from matching.models import Company, SeniorProfile


async def test_demo_people_have_korean_names_and_manage_their_own_company(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # an account from an older demo, still named by its key
    old = await create_user(
        sessions,
        AccountInput("demo-senior-3@demo.allwork.example", "demo-senior-3", "password-1234", Role.SENIOR),
    )
    hr = await create_user(
        sessions, AccountInput("hr@example.com", "화성정밀 인사담당 박지현", "password-1234", Role.COMPANY)
    )
    await load_demo(sessions, {"company": hr.id})
    async with sessions() as session:
        users = (await session.scalars(select(User))).all()
        names = {u.email: u.name for u in users}
        by_id = {u.id: u.name for u in users}
        owners = {c.name: c.owner_id for c in (await session.scalars(select(Company))).all()}
        seniors = (await session.scalars(select(SeniorProfile.user_id))).all()
    assert not [n for n in names.values() if n.startswith("demo-")], names
    assert names["demo-senior-3@demo.allwork.example"] == "정대호" and old.id in seniors
    assert names["demo-senior-2@demo.allwork.example"] == DEMO_NAMES["demo-senior-2"] == "박순자"
    # each HR person's name carries the company they manage
    for company, owner in owners.items():
        assert by_id[owner].startswith(company), (company, by_id[owner])
