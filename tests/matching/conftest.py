"""Realistic Korean profiles and postings shared by the matching tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import AccountInput, Role, User, create_user
from matching.models import Company, Posting
from matching.service import MatchingService
from matching.validation import today


def quality_manager(birth_year: int = 1968) -> dict[str, Any]:
    """A senior with 20 years of automotive quality management."""
    return {
        "headline": "자동차 부품 품질관리 20년",
        "birth_year": birth_year,
        "careers": [
            {
                "company": "대성오토텍",
                "role": "품질관리 팀장",
                "industry": "자동차 부품 제조",
                "years": 14,
                "duties": "자동차 부품 품질관리 총괄, 협력사 품질 감사, 수입검사 및 출하검사 기준 수립, "
                "IATF 16949 인증 유지, 고객 클레임 대응과 8D 보고서 작성",
            },
            {
                "company": "한일정밀",
                "role": "품질보증 과장",
                "industry": "자동차 부품",
                "years": 6,
                "duties": "공정 품질 개선 활동, 6시그마 프로젝트, 측정기 관리와 SPC 공정능력 분석",
            },
        ],
        "skills": "품질관리, ISO 9001, SPC, 6시그마",
        "certificates": "품질경영기사",
        "salary_min": 350,
        "salary_max": 450,
        "regions": "경기 화성시, 경기 수원시",
        "max_commute_km": 30,
        "available_from": (today() + timedelta(days=7)).isoformat(),
        "employment_types": "full_time, contract",
    }


def forklift_driver() -> dict[str, Any]:
    return {
        "headline": "물류센터 지게차 15년",
        "birth_year": 1966,
        "careers": [
            {
                "company": "한빛물류",
                "role": "물류창고 반장",
                "industry": "물류",
                "years": 15,
                "duties": "지게차 운전, 물류창고 입출고 관리, 재고 관리와 피킹 작업 지도",
            }
        ],
        "skills": "지게차, 재고관리",
        "certificates": "지게차운전기능사",
        "salary_min": 250,
        "salary_max": 320,
        "regions": "경기 화성시",
        "max_commute_km": 20,
        "available_from": today().isoformat(),
        "employment_types": "full_time, part_time",
    }


def quality_posting() -> dict[str, Any]:
    return {
        "title": "자동차 부품 품질관리 책임자",
        "duties": "협력사 품질 관리와 품질 감사, 수입검사 및 출하검사, "
        "IATF 16949 인증 유지, 고객 클레임 대응",
        "years_required": 10,
        "preferred_skills": "ISO 9001, SPC",
        "salary_min": 380,
        "salary_max": 480,
        "region": "경기 화성시",
        "employment_type": "full_time",
        "start_date": (today() + timedelta(days=30)).isoformat(),
        "closing_date": (today() + timedelta(days=20)).isoformat(),
        "headcount": 1,
    }


def warehouse_posting() -> dict[str, Any]:
    return {
        "title": "물류창고 지게차 운전원",
        "duties": "물류창고 입출고 관리, 지게차 운전, 재고 정리와 상하차",
        "years_required": 1,
        "preferred_skills": "지게차운전기능사",
        "salary_min": 260,
        "salary_max": 300,
        "region": "경기 화성시",
        "employment_type": "full_time",
        "closing_date": (today() + timedelta(days=14)).isoformat(),
        "headcount": 3,
    }


def company_form(name: str, region: str = "경기 화성시") -> dict[str, Any]:
    return {"name": name, "industry": "제조", "region": region, "employees": 45, "description": "중소기업"}


@dataclass
class World:
    service: MatchingService
    admin: User
    senior: User
    driver: User
    owner: User
    other_owner: User
    company: Company
    pending: Company
    quality: Posting
    warehouse: Posting
    pending_posting: Posting


async def _user(sessions: async_sessionmaker[AsyncSession], email: str, role: Role) -> User:
    return await create_user(sessions, AccountInput(email, email.split("@")[0], "password-1234", role))


@pytest.fixture
async def world(sessions: async_sessionmaker[AsyncSession]) -> World:
    """Two seniors, an approved company with a quality and a warehouse posting, a pending company."""
    service = MatchingService(sessions)
    admin = await _user(sessions, "admin@example.com", Role.ADMIN)
    senior = await _user(sessions, "quality@example.com", Role.SENIOR)
    driver = await _user(sessions, "driver@example.com", Role.SENIOR)
    owner = await _user(sessions, "owner@example.com", Role.COMPANY)
    other_owner = await _user(sessions, "other@example.com", Role.COMPANY)
    await service.save_profile(senior, quality_manager())
    await service.save_profile(driver, forklift_driver())
    company = await service.save_company(owner, company_form("화성정밀"))
    await service.record_site_visit(
        admin,
        company.id,
        {"visited_on": today().isoformat(), "checklist_score": 86, "facilities": "휴게실, 식당"},
    )
    company = await service.vet_company(admin, company.id, "approved")
    pending = await service.save_company(other_owner, company_form("미승인산업", "경기 수원시"))
    quality = await service.save_posting(owner, quality_posting())
    warehouse = await service.save_posting(owner, warehouse_posting())
    pending_posting = await service.save_posting(other_owner, quality_posting())
    return World(
        service,
        admin,
        senior,
        driver,
        owner,
        other_owner,
        company,
        pending,
        quality,
        warehouse,
        pending_posting,
    )
