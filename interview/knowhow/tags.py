"""What a know-how tip is tagged with: the practice question category it helps with and an industry.

Categories are the question bank's (:data:`interview.practice.questions.CATEGORIES`), so a senior
practising a question finds the tips of its category. Industries are a short fixed list: companies
type their industry freely (``자동차 부품 제조``, ``제조``), which is too scattered to browse by; a
tip may also be for every industry (``""``).
"""

from __future__ import annotations

from core.i18n import N_
from interview.practice.questions import CATEGORIES

CATEGORY_LABELS: dict[str, str] = {
    "general": N_("Common questions"),
    "senior": N_("Questions for experienced job seekers"),
    "role": N_("Questions about the job"),
}
assert tuple(CATEGORY_LABELS) == CATEGORIES

#: "" is "every industry"
INDUSTRY_LABELS: dict[str, str] = {
    "": N_("Every industry"),
    "manufacturing": N_("Manufacturing"),
    "logistics": N_("Logistics and warehouses"),
    "facility": N_("Building and facility management"),
    "construction": N_("Construction"),
    "care": N_("Care and health"),
    "office": N_("Office and accounting"),
    "retail": N_("Sales and services"),
    "transport": N_("Driving and transport"),
}
INDUSTRIES = tuple(INDUSTRY_LABELS)
