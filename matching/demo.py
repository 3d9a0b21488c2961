"""Realistic Korean demo data for ``allwork demo``: vetted companies, postings and senior profiles.

Idempotent: running it again adds nothing that is already there (companies are found by owner and
name, postings by company and title, profiles by user). Extra demo accounts use addresses under
``@demo.allwork.example`` with a random password nobody knows.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from core.accounts import AccountInput, Role, User, create_user
from core.db import Sessions, transaction
from matching import pipeline, records
from matching.models import Company, InterviewRequest, Posting, SeniorProfile, VettingStatus
from matching.validation import today

COMPANIES: list[dict[str, Any]] = [
    {
        "name": "화성정밀",
        "industry": "자동차 부품 제조",
        "region": "41590",
        "address": "경기도 화성시 향남읍 발안공단로 12",
        "employees": 85,
        "description": "현대·기아 1차 협력사. 브레이크 부품을 만듭니다.",
        "owner": "company",
        "visit": {
            "checklist_score": 88,
            "facilities": "휴게실, 구내식당, 샤워실",
            "welfare": "4대보험, 중식 제공, 통근버스",
        },
    },
    {
        "name": "한빛물류",
        "industry": "물류",
        "region": "41220",
        "address": "경기도 평택시 포승읍 평택항로 45",
        "employees": 140,
        "description": "평택항 인근 3자 물류센터.",
        "owner": "demo-company-2",
        "visit": {"checklist_score": 79, "facilities": "휴게실, 냉난방", "welfare": "4대보험, 야간수당"},
    },
    {
        "name": "세광빌딩관리",
        "industry": "시설관리",
        "region": "11650",
        "address": "서울특별시 서초구 서초대로 301",
        "employees": 60,
        "description": "강남·서초 업무용 빌딩 시설관리 전문 업체.",
        "owner": "demo-company-3",
        "visit": {"checklist_score": 91, "facilities": "관리사무소, 휴게실", "welfare": "4대보험, 명절상여"},
    },
]

POSTINGS: list[tuple[str, dict[str, Any]]] = [
    (
        "화성정밀",
        {
            "title": "자동차 부품 품질관리 책임자",
            "duties": "협력사 품질 관리와 품질 감사, 수입검사 및 출하검사, "
            "IATF 16949 인증 유지, 고객 클레임 대응",
            "years_required": 10,
            "preferred_skills": "ISO 9001, SPC",
            "salary_min": 380,
            "salary_max": 480,
            "region": "41590",
            "employment_type": "full_time",
            "start": 30,
            "closing": 20,
            "headcount": 1,
        },
    ),
    (
        "화성정밀",
        {
            "title": "생산관리 과장 (계약직)",
            "duties": "프레스·용접 라인 생산계획 수립, 공정관리, 생산 실적 집계와 개선 활동",
            "years_required": 8,
            "preferred_skills": "생산관리, ERP",
            "salary_min": 330,
            "salary_max": 400,
            "region": "41590",
            "employment_type": "contract",
            "start": 21,
            "closing": 14,
            "headcount": 1,
        },
    ),
    (
        "화성정밀",
        {
            "title": "CNC 선반 가공 기술자",
            "duties": "CNC 선반과 MCT 가공, 도면 해독, 치공구 관리, 신입 기술 지도",
            "years_required": 5,
            "preferred_skills": "CNC, 도면",
            "salary_min": 300,
            "salary_max": 380,
            "region": "41590",
            "employment_type": "full_time",
            "start": 14,
            "closing": 10,
            "headcount": 2,
        },
    ),
    (
        "화성정밀",
        {
            "title": "경리·회계 담당 (시간제)",
            "duties": "전표 입력, 부가세 신고 자료 준비, 급여와 4대보험 관리, 더존 전산회계",
            "years_required": 5,
            "preferred_skills": "더존, 전산회계",
            "salary_min": 150,
            "salary_max": 200,
            "region": "41590",
            "employment_type": "part_time",
            "start": 0,
            "closing": 21,
            "headcount": 1,
        },
    ),
    (
        "한빛물류",
        {
            "title": "물류센터 지게차 운전원",
            "duties": "물류창고 입출고 관리, 지게차 운전, 재고 정리와 상하차",
            "years_required": 1,
            "preferred_skills": "지게차운전기능사",
            "salary_min": 260,
            "salary_max": 310,
            "region": "41220",
            "employment_type": "full_time",
            "start": 7,
            "closing": 7,
            "headcount": 5,
        },
    ),
    (
        "한빛물류",
        {
            "title": "물류센터 재고관리 반장",
            "duties": "재고관리와 입출고 관리, WMS 재고 실사, 작업자 배치와 안전 교육",
            "years_required": 7,
            "preferred_skills": "재고관리, WMS",
            "salary_min": 300,
            "salary_max": 360,
            "region": "41220",
            "employment_type": "full_time",
            "start": 14,
            "closing": 14,
            "headcount": 1,
        },
    ),
    (
        "한빛물류",
        {
            "title": "안전관리자 (산업안전)",
            "duties": "물류센터 산업안전 관리, 위험성 평가, 안전보건 교육, 중대재해처벌법 대응",
            "years_required": 5,
            "preferred_skills": "산업안전기사",
            "salary_min": 350,
            "salary_max": 420,
            "region": "41220",
            "employment_type": "contract",
            "start": 30,
            "closing": 25,
            "headcount": 1,
        },
    ),
    (
        "세광빌딩관리",
        {
            "title": "빌딩 시설관리 기사",
            "duties": "업무용 빌딩 전기설비와 기계설비 점검, 냉난방 설비 유지보수, 시설관리 일지 작성",
            "years_required": 3,
            "preferred_skills": "전기기사, 공조냉동기계기능사",
            "salary_min": 270,
            "salary_max": 330,
            "region": "11650",
            "employment_type": "full_time",
            "start": 10,
            "closing": 10,
            "headcount": 2,
        },
    ),
    (
        "세광빌딩관리",
        {
            "title": "건물 경비·보안 (격일제)",
            "duties": "출입 통제와 순찰, CCTV 관제, 주차 관리",
            "years_required": 0,
            "preferred_skills": "경비원 신임교육",
            "salary_min": 220,
            "salary_max": 260,
            "region": "11680",
            "employment_type": "contract",
            "start": 7,
            "closing": 7,
            "headcount": 4,
        },
    ),
    (
        "세광빌딩관리",
        {
            "title": "관리사무소 총무·경리",
            "duties": "관리비 부과와 수납, 회계 전표 처리, 총무 업무와 입주사 응대",
            "years_required": 5,
            "preferred_skills": "회계, 엑셀",
            "salary_min": 260,
            "salary_max": 300,
            "region": "11650",
            "employment_type": "full_time",
            "start": 14,
            "closing": 14,
            "headcount": 1,
        },
    ),
]

SENIORS: list[tuple[str, dict[str, Any]]] = [
    (
        "senior",
        {
            "headline": "자동차 부품 품질관리 20년",
            "birth_year": 1967,
            "careers": [
                {
                    "company": "대성오토텍",
                    "role": "품질관리 팀장",
                    "industry": "자동차 부품 제조",
                    "years": 14,
                    "duties": "자동차 부품 품질관리 총괄, 협력사 품질 감사, 수입검사 및 출하검사 기준 수립, "
                    "IATF 16949 인증 유지, 고객 클레임 대응",
                },
                {
                    "company": "한일정밀",
                    "role": "품질보증 과장",
                    "industry": "자동차 부품",
                    "years": 6,
                    "duties": "공정 품질 개선 활동, 6시그마 프로젝트, SPC 공정능력 분석",
                },
            ],
            "skills": "품질관리, ISO 9001, SPC, 6시그마",
            "certificates": "품질경영기사",
            "salary_min": 350,
            "salary_max": 450,
            "regions": "41590, 41110",
            "max_commute_km": 30,
            "available": 7,
            "employment_types": "full_time, contract",
        },
    ),
    (
        "demo-senior-2",
        {
            "headline": "중소 제조업 경리·회계 25년",
            "birth_year": 1963,
            "careers": [
                {
                    "company": "동아산업",
                    "role": "경리부장",
                    "industry": "제조",
                    "years": 25,
                    "duties": "전표와 결산, 부가세·법인세 신고 준비, 급여와 4대보험, 더존 ERP 운영",
                }
            ],
            "skills": "더존, 엑셀, 전산회계",
            "certificates": "전산회계 1급",
            "salary_min": 180,
            "salary_max": 260,
            "regions": "41590, 41220",
            "max_commute_km": 25,
            "available": 0,
            "employment_types": "part_time, full_time",
        },
    ),
    (
        "demo-senior-3",
        {
            "headline": "빌딩 시설관리 18년",
            "birth_year": 1965,
            "careers": [
                {
                    "company": "삼원빌딩",
                    "role": "시설과장",
                    "industry": "건물관리",
                    "years": 18,
                    "duties": "전기설비 점검과 수변전 관리, 냉난방 설비 유지보수, 소방 설비 점검",
                }
            ],
            "skills": "전기, 공조, 소방",
            "certificates": "전기기사",
            "salary_min": 280,
            "salary_max": 340,
            "regions": "11",
            "max_commute_km": 20,
            "available": 3,
            "employment_types": "full_time",
        },
    ),
    (
        "demo-senior-4",
        {
            "headline": "물류센터 지게차 15년",
            "birth_year": 1969,
            "careers": [
                {
                    "company": "대한통운 협력사",
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
            "regions": "41220, 44130",
            "max_commute_km": 30,
            "available": 0,
            "employment_types": "full_time, contract",
        },
    ),
]


#: the names the extra demo accounts show: the job seekers, and each company's own HR person
DEMO_NAMES = {
    "demo-senior-2": "박순자",  # 25 years of bookkeeping at a manufacturer
    "demo-senior-3": "정대호",  # 18 years of building maintenance
    "demo-senior-4": "오석진",  # 15 years of forklift and warehouse work
    "demo-company-2": "한빛물류 인사담당 윤미라",
    "demo-company-3": "세광빌딩관리 대표 강성철",
}


async def _demo_user(sessions: Sessions, users: dict[str, int], key: str, role: Role) -> User:
    user: User | None
    name = DEMO_NAMES.get(key, key)
    async with transaction(sessions) as session:
        if key in users:
            user = await session.get(User, users[key])
        else:
            email = f"{key}@demo.allwork.example"
            user = await session.scalar(select(User).where(User.email == email))
        if user is not None and user.name == key != name:
            user.name = name  # demo data made before the accounts had names
    if user is not None:
        return user
    return await create_user(
        sessions, AccountInput(f"{key}@demo.allwork.example", name, secrets.token_urlsafe(16), role)
    )


def _posting_form(spec: dict[str, Any]) -> dict[str, Any]:
    d = today()
    form = {k: v for k, v in spec.items() if k not in ("start", "closing")}
    form["closing_date"] = (d + timedelta(days=spec["closing"])).isoformat()
    form["start_date"] = (d + timedelta(days=spec["start"])).isoformat() if spec["start"] else ""
    return form


async def load_demo(sessions: Sessions, users: dict[str, int]) -> None:
    """Add the demo companies (approved, with a site visit), postings and profiles if missing."""
    admin = await _demo_user(sessions, users, "admin", Role.ADMIN)
    companies: dict[str, Company] = {}
    for spec in COMPANIES:
        owner = await _demo_user(sessions, users, spec["owner"], Role.COMPANY)
        async with sessions() as session:
            company = await session.scalar(
                select(Company).where(Company.owner_id == owner.id, Company.name == spec["name"])
            )
        if company is None:
            form = {k: v for k, v in spec.items() if k not in ("owner", "visit")}
            company = await records.save_company(sessions, owner, form)
            visit = spec["visit"] | {"visited_on": today().isoformat(), "notes": "데모 방문 기록"}
            visit["next_visit_due"] = (today() + timedelta(days=180)).isoformat()
            await records.record_site_visit(sessions, admin, company.id, visit)
        if company.status != VettingStatus.APPROVED:
            company, _ = await records.vet_company(sessions, admin, company.id, VettingStatus.APPROVED.value)
        companies[spec["name"]] = company
    for company_name, spec in POSTINGS:
        company = companies[company_name]
        async with sessions() as session:
            exists = await session.scalar(
                select(Posting.id).where(Posting.company_id == company.id, Posting.title == spec["title"])
            )
            posting_owner = await session.get(User, company.owner_id)
        if exists is None and posting_owner is not None:
            await records.save_posting(sessions, posting_owner, _posting_form(spec), company_id=company.id)
    for key, spec in SENIORS:
        senior = await _demo_user(sessions, users, key, Role.SENIOR)
        async with sessions() as session:
            has_profile = await session.get(SeniorProfile, senior.id) is not None
        if not has_profile:
            form = {k: v for k, v in spec.items() if k != "available"}
            form["available_from"] = (today() + timedelta(days=spec["available"])).isoformat()
            await records.save_profile(sessions, senior, form)
    await _demo_request(sessions, users, companies["화성정밀"])


#: one request waiting for a date, so the scheduler's page has something to book
DEMO_REQUEST = (
    "demo-senior-2",
    "자동차 부품 품질관리 책임자",
    "평일 오전이면 언제든 좋습니다. 잘 부탁드립니다.",
)


async def _demo_request(sessions: Sessions, users: dict[str, int], company: Company) -> None:
    key, title, message = DEMO_REQUEST
    senior = await _demo_user(sessions, users, key, Role.SENIOR)
    async with transaction(sessions) as session:
        posting_id = await session.scalar(
            select(Posting.id).where(Posting.company_id == company.id, Posting.title == title)
        )
        if posting_id is None or await session.get(SeniorProfile, senior.id) is None:
            return
        exists = await session.scalar(
            select(InterviewRequest.id).where(
                InterviewRequest.senior_id == senior.id, InterviewRequest.posting_id == posting_id
            )
        )
        if exists is not None:
            return
        pair = InterviewRequest(
            senior_id=senior.id,
            posting_id=posting_id,
            requested_by=senior.id,
            requested_by_role=Role.SENIOR.value,
            score=0.78,
            message=message,
        )
        session.add(pair)
        await session.flush()
        pipeline.record_start(session, pair, actor_id=senior.id, reason=message)
