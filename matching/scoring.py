"""The factors of a match score: vectorised numbers, and the reason shown beside each.

Each factor function takes numpy arrays (one element per candidate) and returns numbers from
0 to 1, so ranking 100,000 candidates is a handful of array operations; :func:`reasons` turns one
pair's figures into an English message id with parameters (Korean in
``matching/translations/ko/matching.po``). The same numbers and reasons are shown to the senior and to
the company. Nothing here knows a birth year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from core.localtime import format_date
from matching import weights as w
from matching.models import EmploymentType
from matching.particles import attach
from matching.regions import Region

EMPLOYMENT_BITS = {
    EmploymentType.FULL_TIME.value: 1,
    EmploymentType.PART_TIME.value: 2,
    EmploymentType.CONTRACT.value: 4,
}


def employment_mask(types: tuple[str, ...] | list[str]) -> int:
    mask = 0
    for t in types:
        mask |= EMPLOYMENT_BITS.get(t, 0)
    return mask


@dataclass(frozen=True, slots=True)
class Factor:
    name: str
    value: float
    weight: float
    reason: str  #: English message id
    params: dict[str, Any] = field(default_factory=dict)
    #: False when the senior has not given what the factor weighs yet (the pay wish, the start date):
    #: the value is then :data:`weights.UNKNOWN` and the reason says so
    known: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": round(self.value, 4),
            "weight": round(self.weight, 4),
            "reason": self.reason,
            "params": self.params,
            "known": self.known,
        }


# --- numbers -----------------------------------------------------------------------------------


def years_factor(have: ArrayLike, need: ArrayLike) -> np.ndarray:
    """1 when the senior has at least the years asked for, else the share of them."""
    need = np.asarray(need, dtype=np.float32)
    have = np.asarray(have, dtype=np.float32)
    return np.where(need <= 0, 1.0, np.clip(have / np.maximum(need, 1e-6), 0.0, 1.0)).astype(np.float32)


def salary_factor(wish_min: ArrayLike, wish_max: ArrayLike, pay_max: ArrayLike) -> np.ndarray:
    """1 when the pay reaches the top of the wish; 0.7 at its bottom; 0 when 30 % below it.
    No wish given yet (NaN): :data:`weights.UNKNOWN`, neither a fit nor a mismatch."""
    wish_min = np.asarray(wish_min, dtype=np.float32)
    wish_max = np.asarray(wish_max, dtype=np.float32)
    pay_max = np.asarray(pay_max, dtype=np.float32)
    edge = w.SALARY_FULL_AT_MIN
    inside = edge + (1 - edge) * (pay_max - wish_min) / np.maximum(wish_max - wish_min, 1.0)
    short = edge * (1 - (wish_min - pay_max) / np.maximum(w.SALARY_ZERO_SHORTFALL * wish_min, 1.0))
    out = np.clip(np.where(pay_max >= wish_min, inside, short), 0.0, 1.0)
    return np.where(np.isnan(wish_min) | np.isnan(wish_max), w.UNKNOWN, out).astype(np.float32)


def distance_factor(km: ArrayLike, max_km: ArrayLike) -> np.ndarray:
    """1 in a preferred region, down to 0.7 at the longest commute, 0 at twice that."""
    km = np.asarray(km, dtype=np.float32)
    max_km = np.maximum(np.asarray(max_km, dtype=np.float32), 1.0)
    edge = w.COMMUTE_EDGE
    near = 1 - (1 - edge) * km / max_km
    far = edge * (1 - (km - max_km) / max_km)
    return np.clip(np.where(km <= max_km, near, far), 0.0, 1.0).astype(np.float32)


#: the ordinal stored for a date not given (ordinals start at 1)
NO_DATE = 0


def start_day(start: ArrayLike, closing: ArrayLike) -> np.ndarray:
    """The day work starts (ordinal): the start date, or a while after closing when there is none."""
    start = np.asarray(start, dtype=np.int32)
    closing = np.asarray(closing, dtype=np.int32)
    return np.where(start > 0, start, closing + w.START_AFTER_CLOSING_DAYS).astype(np.int32)


def timing_factor(available: ArrayLike, starts: ArrayLike) -> np.ndarray:
    """1 when the senior is free by the start; falls to 0 at 90 days late. No start date given yet
    (:data:`NO_DATE`): :data:`weights.UNKNOWN`, neither a fit nor a mismatch."""
    available = np.asarray(available, dtype=np.int32)
    late = available.astype(np.float32) - np.asarray(starts, dtype=np.float32)
    out = np.clip(1 - np.maximum(late, 0) / w.TIMING_GRACE_DAYS, 0.0, 1.0)
    return np.where(available == NO_DATE, w.UNKNOWN, out).astype(np.float32)


def employment_factor(accepted_mask: ArrayLike, posting_bit: ArrayLike) -> np.ndarray:
    return (
        (np.asarray(accepted_mask, dtype=np.uint8) & np.asarray(posting_bit, dtype=np.uint8)) != 0
    ).astype(np.float32)


def combine(factors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean; ``factors`` has one row per factor in :data:`weights.FACTORS` order."""
    return (weights.astype(np.float32)[:, None] * factors).sum(axis=0)


# --- reasons -----------------------------------------------------------------------------------

_TYPE_ACCEPTED = {
    "full_time": ("Full-time work is accepted.", "Full-time work is not among the accepted kinds."),
    "part_time": ("Part-time work is accepted.", "Part-time work is not among the accepted kinds."),
    "contract": ("Contract work is accepted.", "Contract work is not among the accepted kinds."),
}


#: a factor at or above this reads "fits well"; at or above :data:`PARTLY` "fits partly"; below, "hardly fits"
WELL = 0.7
PARTLY = 0.4


def relevance_reason(
    matched: list[str], value: float = 1.0, missing: list[str] | None = None
) -> tuple[str, dict[str, Any]]:
    """What the experience and the duties share; when that is little, what the duties ask that the
    profile does not mention (``missing``, the posting's weightiest terms the senior lacks)."""
    lacking = ", ".join(missing or [])
    params: dict[str, Any] = {"terms": ", ".join(matched), "missing": lacking}
    if matched and value >= PARTLY:
        return "Experience matches the duties: %(terms)s.", params
    if matched and lacking:
        return (
            "Only a little of the experience meets the duties (%(terms)s); "
            "the duties also ask for %(missing)s, which the profile does not mention.",
            params,
        )
    if matched:
        return "Only a little of the experience meets the duties: %(terms)s.", params
    if lacking:
        return (
            "Experience and duties have little in common: the duties ask for %(missing)s, "
            "which the profile does not mention.",
            params,
        )
    return "Experience and duties have little in common.", params


def years_reason(have: float, need: int) -> tuple[str, dict[str, Any]]:
    params = {"have": _num(have), "need": need}
    if need <= 0:
        return "%(have)s years of experience; no minimum is asked for.", params
    if have >= need:
        return "%(have)s years of experience; %(need)s asked for.", params
    return "%(have)s years of experience, fewer than the %(need)s asked for.", params


def salary_reason(
    wish_min: int | None, wish_max: int | None, pay_min: int, pay_max: int
) -> tuple[str, dict[str, Any]]:
    if wish_min is None or wish_max is None:
        return (
            "Pays %(pay_min)s–%(pay_max)s (10,000 won a month); no pay wish has been given yet.",
            {"pay_min": pay_min, "pay_max": pay_max},
        )
    params = {"pay_min": pay_min, "pay_max": pay_max, "wish_min": wish_min, "wish_max": wish_max}
    if pay_max >= wish_max:
        return (
            "Pays %(pay_min)s–%(pay_max)s, meeting the wish of %(wish_min)s–%(wish_max)s"
            " (10,000 won a month).",
            params,
        )
    if pay_max >= wish_min:
        return (
            "Pays %(pay_min)s–%(pay_max)s, within the wish of %(wish_min)s–%(wish_max)s"
            " (10,000 won a month).",
            params,
        )
    return (
        "Pays %(pay_min)s–%(pay_max)s, below the wish of %(wish_min)s–%(wish_max)s (10,000 won a month).",
        params,
    )


def distance_reason(km: float, max_km: int, place: Region, nearest: Region) -> tuple[str, dict[str, Any]]:
    """Region names come in Korean (``place``, ``region``) and English (``place_en``, ``region_en``)."""
    params = {
        "km": _num(km, 0),
        "max": max_km,
        "place": place.label("ko"),
        "region": nearest.label("ko"),
        "place_en": place.label("en"),
        "region_en": nearest.label("en"),
        #: the Korean place with its topic particle (경기도 화성시는, 서울특별시 강남구는)
        "place_topic": attach(place.label("ko"), "은"),
    }
    if km <= 0:
        return "The workplace, %(place_en)s, is in a preferred region (%(region_en)s).", params
    if km <= max_km:
        return (
            "The workplace, %(place_en)s, is about %(km)s km from %(region_en)s,"
            " within the %(max)s km commute.",
            params,
        )
    return (
        "The workplace, %(place_en)s, is about %(km)s km from %(region_en)s, beyond the %(max)s km commute.",
        params,
    )


def timing_reason(available: date | None, start: date, has_start: bool) -> tuple[str, dict[str, Any]]:
    """Dates in Korean form (``available``, ``start``: 2026년 12월 8일) and English (``available_en``,
    ``start_en``: Dec 8, 2026), always with the year. ``available`` None: no start date given yet."""
    params: dict[str, Any] = {"start": format_date(start, "ko"), "start_en": format_date(start, "en")}
    if available is None:
        if has_start:
            return "Work starts on %(start_en)s; no start date has been given yet.", params
        return "No start date has been given yet.", {}
    params |= {
        "available": format_date(available, "ko"),
        "available_en": format_date(available, "en"),
        "days": (available - start).days,
    }
    if available <= start:
        if has_start:
            return "Available from %(available_en)s; work starts on %(start_en)s.", params
        return "Available from %(available_en)s, before the posting closes.", params
    return "Available from %(available_en)s, %(days)s days after work starts (%(start_en)s).", params


def employment_reason(posting_type: str, accepted: bool) -> tuple[str, dict[str, Any]]:
    yes, no = _TYPE_ACCEPTED[posting_type]
    return (yes if accepted else no), {}


def _num(value: float, digits: int = 1) -> float | int:
    r = round(float(value), digits)
    return int(r) if r == int(r) else r
