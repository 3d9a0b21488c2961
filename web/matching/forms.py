"""Between matching's models and the pages: form values for editing, options, factor reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.i18n import N_
from matching import regions
from matching.models import Company, Posting, SeniorProfile
from matching.scoring import PARTLY, WELL, Factor

CAREER_ROWS = 5
REGION_SLOTS = 3
EMPLOYMENT_TYPES = ("full_time", "part_time", "contract")


#: how well one factor fits, in words; the number is shown beside it, smaller
FIT_WORDS = (N_("Fits well"), N_("Fits partly"), N_("Hardly fits"))
#: the words for a factor the senior has not given yet (the pay wish, the start date)
NOT_GIVEN = N_("Not given yet")


@dataclass(frozen=True, slots=True)
class Reason:
    name: str
    percent: int
    text: str
    #: "잘 맞음 / 일부 맞음 / 거의 안 맞음" in the reader's language
    level: str = ""
    #: ``well``, ``partly``, ``weak`` or ``unknown`` (for the badge's colour)
    kind: str = ""


def fit_level(value: float) -> int:
    """0 fits well, 1 fits partly, 2 hardly fits (an index of :data:`FIT_WORDS`)."""
    return 0 if value >= WELL else 1 if value >= PARTLY else 2


def reasons(factors: list[Factor], _: Any) -> list[Reason]:
    """Each factor in words (fits well / partly / hardly), its number (0–100) and its reason in the
    reader's language, the weightiest factor first."""
    ordered = sorted(factors, key=lambda f: -f.weight)
    out = []
    for f in ordered:
        text = _(f.reason, **f.params)
        if not f.known:
            out.append(Reason(f.name, round(f.value * 100), text, _(NOT_GIVEN), "unknown"))
            continue
        level = fit_level(f.value)
        out.append(
            Reason(f.name, round(f.value * 100), text, _(FIT_WORDS[level]), ("well", "partly", "weak")[level])
        )
    return out


def region_names(lang: str) -> list[str]:
    return [r.label(lang) for r in regions.all_regions()]


def region_label(code: str, lang: str = "ko") -> str:
    try:
        return regions.get(code).label(lang)
    except (KeyError, LookupError):
        return code


def _text(value: object) -> str:
    """A stored value as a form shows it; nothing given yet (None) is an empty box."""
    return "" if value is None else str(value)


def profile_values(profile: SeniorProfile | None) -> dict[str, str]:
    if profile is None:
        return {}
    values = {
        "headline": profile.headline,
        "birth_year": _text(profile.birth_year),
        "skills": ", ".join(profile.skills),
        "certificates": ", ".join(profile.certificates),
        "salary_min": _text(profile.salary_min),
        "salary_max": _text(profile.salary_max),
        "max_commute_km": str(profile.max_commute_km),
        "available_from": profile.available_from.isoformat() if profile.available_from else "",
        "employment_types": ",".join(profile.employment_types),
    }
    for i, code in enumerate(profile.regions[:REGION_SLOTS]):
        values[f"region-{i}"] = region_label(code)
    for i, career in enumerate(profile.careers[:CAREER_ROWS]):
        values |= {
            f"career-{i}-company": career.company,
            f"career-{i}-role": career.role,
            f"career-{i}-industry": career.industry,
            f"career-{i}-years": f"{career.years:g}",
            f"career-{i}-duties": career.duties,
        }
    return values


def profile_form_data(form: dict[str, str], employment_types: list[str]) -> dict[str, Any]:
    """The posted profile form as matching.validation expects it."""
    data: dict[str, Any] = {k: v for k, v in form.items() if not k.startswith("region-")}
    data["regions"] = [
        form[f"region-{i}"] for i in range(REGION_SLOTS) if form.get(f"region-{i}", "").strip()
    ]
    data["employment_types"] = [t for t in employment_types if t in EMPLOYMENT_TYPES]
    return data


def profile_field_names() -> tuple[str, ...]:
    base = (
        "headline",
        "birth_year",
        "skills",
        "certificates",
        "salary_min",
        "salary_max",
        "max_commute_km",
        "available_from",
    )
    careers = tuple(
        f"career-{i}-{n}"
        for i in range(CAREER_ROWS)
        for n in ("company", "role", "industry", "years", "duties")
    )
    return base + careers + tuple(f"region-{i}" for i in range(REGION_SLOTS))


COMPANY_FIELDS = ("name", "business_number", "industry", "region", "address", "employees", "description")
POSTING_FIELDS = (
    "title",
    "duties",
    "years_required",
    "preferred_skills",
    "salary_min",
    "salary_max",
    "region",
    "employment_type",
    "start_date",
    "closing_date",
    "headcount",
    "criteria",
    "interview_minutes",
    "description",
    "work_hours",
)
VISIT_FIELDS = (
    "visited_on",
    "facilities",
    "welfare",
    "working_conditions",
    "checklist_score",
    "notes",
    "next_visit_due",
)


def company_values(company: Company | None) -> dict[str, str]:
    if company is None:
        return {}
    return {
        "name": company.name,
        "business_number": company.business_number,
        "industry": company.industry,
        "region": region_label(company.region),
        "address": company.address,
        "employees": str(company.employees),
        "description": company.description,
    }


def posting_values(posting: Posting | None) -> dict[str, str]:
    if posting is None:
        return {"employment_type": "full_time", "headcount": "1", "interview_minutes": "60"}
    return {
        "title": posting.title,
        "duties": posting.duties,
        "years_required": str(posting.years_required),
        "preferred_skills": ", ".join(posting.preferred_skills),
        "salary_min": str(posting.salary_min),
        "salary_max": str(posting.salary_max),
        "region": region_label(posting.region),
        "employment_type": posting.employment_type.value,
        "start_date": posting.start_date.isoformat() if posting.start_date else "",
        "closing_date": posting.closing_date.isoformat(),
        "headcount": str(posting.headcount),
        "criteria": "\n".join(posting.criteria or []),
        "interview_minutes": str(posting.interview_minutes),
        "description": posting.description,
        "work_hours": posting.work_hours,
    }
