"""Parse and check form or JSON input for profiles, companies, site visits and postings.

Every ``parse_*`` takes a mapping of field name to value (strings from a form, or JSON values),
returns a typed, frozen input, or raises :class:`core.errors.InvalidInput` with one English
message id per bad field. Nothing is stored before parsing succeeds, so bad input changes nothing.

List fields accept a JSON list or one string split on commas and new lines. Career entries come
as a list of mappings (JSON) or as form fields ``career-0-company``, ``career-0-role`` …
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from core.clock import utcnow
from core.errors import InvalidInput
from matching import regions
from matching.criteria import parse_criteria
from matching.models import EmploymentType

KST = timedelta(hours=9)
SALARY_FLOOR = 10  #: 만원 a month; less is not a wage (hours-based part-time starts around 50)
SALARY_CEILING = 5000  #: 만원 a month (600 million won a year): more is a typing mistake
MAX_YEARS = 60
MAX_HEADCOUNT = 1000
MAX_COMMUTE_KM = 300
SERVICE_MIN_AGE = 40
MAX_AGE = 100
MAX_CAREERS = 30
MAX_LIST = 50


def today() -> date:
    """Today's date in Korea, where every date in this domain is meant."""
    return (utcnow() + KST).date()


class _Fields:
    """Collects one message per bad field while parsing the rest."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, str] = {}

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def text(self, name: str, *, required: bool = False, max_len: int = 200, message: str = "") -> str:
        value = self.data.get(name)
        value = "" if value is None else str(value).strip()
        if required and not value:
            self.fail(name, message or "Please fill in this field.")
        elif len(value) > max_len:
            self.fail(name, "This is too long.")
        return value

    def integer(self, name: str, lo: int, hi: int, message: str, *, default: int | None = None) -> int:
        raw = self.data.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if default is not None:
                return default
            self.fail(name, "Please fill in this field.")
            return lo
        try:
            if isinstance(raw, bool):
                raise ValueError
            value = int(str(raw).strip().replace(",", ""))
        except ValueError:
            self.fail(name, "Please enter a whole number.")
            return lo
        if not lo <= value <= hi:
            self.fail(name, message)
        return value

    def number(
        self, name: str, lo: float, hi: float, message: str, *, data: Mapping[str, Any] | None = None
    ) -> float:
        raw = (self.data if data is None else data).get(name)
        try:
            if raw is None or isinstance(raw, bool) or (isinstance(raw, str) and not raw.strip()):
                raise ValueError
            value = float(str(raw).strip().replace(",", ""))
        except ValueError:
            self.fail(name, "Please enter a number.")
            return lo
        if not lo <= value <= hi or value != value:
            self.fail(name, message)
        return value

    def day(self, name: str, *, required: bool = True) -> date | None:
        raw = self.data.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.fail(name, "Please choose a date.")
            return None
        if isinstance(raw, date) and not isinstance(raw, datetime):
            return raw
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError:
            self.fail(name, "Please enter a date like 2025-03-31.")
            return None

    def items(self, name: str, *, max_len: int = 100) -> list[str]:
        raw = self.data.get(name)
        if raw is None:
            return []
        parts = raw if isinstance(raw, list | tuple) else re.split(r"[,\n;]", str(raw))
        out: list[str] = []
        for p in parts:
            item = str(p).strip()
            if item and item not in out:
                if len(item) > max_len:
                    self.fail(name, "One of the entries is too long.")
                out.append(item)
        if len(out) > MAX_LIST:
            self.fail(name, "Please list at most 50 entries.")
        return out

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput(fields=self.errors)


def _salary(f: _Fields) -> tuple[int, int]:
    message = "Please enter a monthly amount between 10 and 5,000 (in 10,000 won)."
    lo = f.integer("salary_min", SALARY_FLOOR, SALARY_CEILING, message)
    hi = f.integer("salary_max", SALARY_FLOOR, SALARY_CEILING, message)
    if "salary_min" not in f.errors and "salary_max" not in f.errors and lo > hi:
        f.fail("salary_max", "The highest amount must not be lower than the lowest.")
    return lo, hi


def _given(f: _Fields, name: str) -> bool:
    raw = f.data.get(name)
    return raw is not None and not (isinstance(raw, str) and not raw.strip())


def _salary_wish(f: _Fields) -> tuple[int | None, int | None]:
    """A senior's pay wish: both amounts, or neither (to be given later)."""
    given = [name for name in ("salary_min", "salary_max") if _given(f, name)]
    if not given:
        return None, None
    if len(given) == 1:
        lone = "salary_max" if given == ["salary_min"] else "salary_min"
        f.fail(lone, "Please enter both amounts, or leave both empty.")
    return _salary(f)


def _region(f: _Fields, name: str) -> str:
    raw = f.text(name, required=True, message="Please choose a region.")
    if not raw:
        return ""
    try:
        return regions.lookup(raw).code
    except regions.UnknownRegion:
        f.fail(name, "We do not know this region. Please choose one from the list.")
        return ""


def _employment_types(f: _Fields, name: str) -> list[str]:
    out = []
    for item in f.items(name):
        try:
            out.append(EmploymentType(item.lower().replace("-", "_")).value)
        except ValueError:
            f.fail(name, "Please choose full-time, part-time or contract.")
    return out


# --- senior profile ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CareerInput:
    company: str
    role: str
    industry: str
    years: float
    duties: str


@dataclass(frozen=True, slots=True)
class ProfileInput:
    headline: str
    #: the birth year, the pay wish and the start date may be given later (None)
    birth_year: int | None
    careers: tuple[CareerInput, ...]
    skills: tuple[str, ...]
    certificates: tuple[str, ...]
    salary_min: int | None
    salary_max: int | None
    regions: tuple[str, ...]
    max_commute_km: int
    available_from: date | None
    employment_types: tuple[str, ...]


def _career_rows(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rows = data.get("careers")
    if isinstance(rows, list):
        return [r if isinstance(r, Mapping) else {} for r in rows]
    found: dict[int, dict[str, Any]] = {}
    for key, value in data.items():
        m = re.fullmatch(r"career-(\d{1,2})-(\w+)", key)
        if m:
            found.setdefault(int(m.group(1)), {})[m.group(2)] = value
    return [found[i] for i in sorted(found) if any(str(v).strip() for v in found[i].values())]


def parse_profile(data: Mapping[str, Any]) -> ProfileInput:
    f = _Fields(data)
    headline = f.text("headline", max_len=200)
    this_year = today().year
    birth_year: int | None = None
    if _given(f, "birth_year"):
        birth_year = f.integer(
            "birth_year", this_year - MAX_AGE, this_year, "Please enter a birth year like 1965."
        )
        if "birth_year" not in f.errors and this_year - birth_year < SERVICE_MIN_AGE:
            f.fail("birth_year", "This service is for people aged 40 and over.")
    careers: list[CareerInput] = []
    rows = _career_rows(data)
    if not rows and not headline:
        # the one line is enough to start with (jobs can be added later); with neither, nothing to match
        f.fail("headline", "Please write your work in one line, or add a job you have done.")
    if len(rows) > MAX_CAREERS:
        f.fail("careers", "Please list at most 30 jobs.")
    for i, row in enumerate(rows[:MAX_CAREERS]):
        sub = _Fields(row)
        company = sub.text("company", required=True, message="Please enter the company name.")
        role = sub.text("role", required=True, message="Please enter your job title or role.")
        industry = sub.text("industry")
        years = sub.number("years", 0.1, MAX_YEARS, "Please enter between 0.1 and 60 years.")
        duties = sub.text("duties", required=True, max_len=4000, message="Please describe what you did.")
        for name, message in sub.errors.items():
            f.fail(f"career-{i}-{name}", message)
        careers.append(CareerInput(company, role, industry, years, duties))
    career_errors = any(k.startswith("career-") for k in f.errors)
    if (
        careers
        and not career_errors
        and "careers" not in f.errors
        and sum(c.years for c in careers) > MAX_YEARS
    ):
        f.fail("careers", "The years of all jobs add up to more than 60.")
    skills = f.items("skills")
    certificates = f.items("certificates")
    salary_min, salary_max = _salary_wish(f)
    region_codes: list[str] = []
    raw_regions = f.items("regions")
    if not raw_regions:
        f.fail("regions", "Please choose at least one region.")
    for item in raw_regions[:10]:
        try:
            code = regions.lookup(item).code
        except regions.UnknownRegion:
            f.fail("regions", "We do not know this region. Please choose one from the list.")
            continue
        if code not in region_codes:
            region_codes.append(code)
    if len(raw_regions) > 10:
        f.fail("regions", "Please choose at most 10 regions.")
    max_commute = f.integer(
        "max_commute_km", 1, MAX_COMMUTE_KM, "Please enter between 1 and 300 km.", default=30
    )
    available = f.day("available_from", required=False)
    types = _employment_types(f, "employment_types")
    if not types and "employment_types" not in f.errors:
        f.fail("employment_types", "Please choose at least one kind of work.")
    f.raise_if_any()
    return ProfileInput(
        headline,
        birth_year,
        tuple(careers),
        tuple(skills),
        tuple(certificates),
        salary_min,
        salary_max,
        tuple(region_codes),
        max_commute,
        available,
        tuple(types),
    )


# --- company and site visit ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompanyInput:
    name: str
    business_number: str
    industry: str
    region: str
    address: str
    employees: int
    description: str


def business_number_ok(number: str) -> bool:
    """The check digit of a 사업자등록번호 (10 digits)."""
    if not re.fullmatch(r"\d{10}", number):
        return False
    d = [int(c) for c in number]
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(x * w for x, w in zip(d, weights, strict=False)) + (d[8] * 5) // 10
    return (10 - total % 10) % 10 == d[9]


def parse_company(data: Mapping[str, Any]) -> CompanyInput:
    f = _Fields(data)
    name = f.text("name", required=True, message="Please enter the company name.")
    number = re.sub(r"[\s-]", "", f.text("business_number", max_len=20))
    if number and not business_number_ok(number):
        f.fail("business_number", "This business registration number is not valid.")
    industry = f.text("industry")
    region = _region(f, "region")
    address = f.text("address", max_len=300)
    employees = f.integer("employees", 1, 100_000, "Please enter between 1 and 100,000 employees.", default=1)
    description = f.text("description", max_len=4000)
    f.raise_if_any()
    return CompanyInput(name, number, industry, region, address, employees, description)


@dataclass(frozen=True, slots=True)
class SiteVisitInput:
    visited_on: date
    facilities: str
    welfare: str
    working_conditions: str
    checklist_score: int
    notes: str
    next_visit_due: date | None


def parse_site_visit(data: Mapping[str, Any]) -> SiteVisitInput:
    f = _Fields(data)
    visited = f.day("visited_on")
    if visited is not None and visited > today():
        f.fail("visited_on", "A visit cannot be in the future.")
    facilities = f.text("facilities", max_len=4000)
    welfare = f.text("welfare", max_len=4000)
    conditions = f.text("working_conditions", max_len=4000)
    score = f.integer("checklist_score", 0, 100, "Please enter a score from 0 to 100.")
    notes = f.text("notes", max_len=4000)
    due = f.day("next_visit_due", required=False)
    if due is not None and due < today():
        f.fail("next_visit_due", "This date is in the past.")
    f.raise_if_any()
    assert visited is not None
    return SiteVisitInput(visited, facilities, welfare, conditions, score, notes, due)


# --- posting -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PostingInput:
    title: str
    duties: str
    years_required: int
    preferred_skills: tuple[str, ...]
    salary_min: int
    salary_max: int
    region: str
    employment_type: str
    start_date: date | None
    closing_date: date
    headcount: int
    #: the scorecard criteria (empty: the default four, see :mod:`matching.criteria`)
    criteria: tuple[str, ...] = ()
    #: the default length of this job's interviews, in minutes
    interview_minutes: int = 60
    #: what the job is like beyond its duties
    description: str = ""
    #: working days and hours, as the company writes them
    work_hours: str = ""


def parse_posting(data: Mapping[str, Any]) -> PostingInput:
    f = _Fields(data)
    title = f.text("title", required=True, message="Please enter a title.")
    duties = f.text("duties", required=True, max_len=4000, message="Please describe the duties.")
    description = f.text("description", max_len=4000)
    work_hours = f.text("work_hours", max_len=200)
    years = f.integer("years_required", 0, MAX_YEARS, "Please enter between 0 and 60 years.", default=0)
    skills = f.items("preferred_skills")
    salary_min, salary_max = _salary(f)
    region = _region(f, "region")
    types = _employment_types(f, "employment_type")
    if len(types) != 1 and "employment_type" not in f.errors:
        f.fail("employment_type", "Please choose full-time, part-time or contract.")
    start = f.day("start_date", required=False)
    closing = f.day("closing_date")
    now = today()
    if closing is not None and closing < now:
        f.fail("closing_date", "This date is in the past.")
    if start is not None and start < now:
        f.fail("start_date", "This date is in the past.")
    if closing is not None and closing > now + timedelta(days=366):
        f.fail("closing_date", "Please choose a date within a year.")
    headcount = f.integer(
        "headcount", 1, MAX_HEADCOUNT, "Please enter between 1 and 1,000 people.", default=1
    )
    interview_minutes = f.integer(
        "interview_minutes", 15, 240, "An interview lasts between 15 minutes and 4 hours.", default=60
    )
    criteria: list[str] = []
    try:
        criteria = parse_criteria(data.get("criteria"))
    except InvalidInput as exc:
        for name, message in exc.fields.items():
            f.fail(name, message)
    f.raise_if_any()
    assert closing is not None
    return PostingInput(
        title,
        duties,
        years,
        tuple(skills),
        salary_min,
        salary_max,
        region,
        types[0],
        start,
        closing,
        headcount,
        tuple(criteria),
        interview_minutes,
        description,
        work_hours,
    )
