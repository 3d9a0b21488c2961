"""The weights of the match score, in one place.

A match score is the weighted mean of six factors, each a number from 0 to 1:

=============  ======  ===========================================================================
factor         weight  what it measures
=============  ======  ===========================================================================
relevance      0.40    how much of the posting's duties and skills the senior's career covers
                       (BM25 over duties, roles, industries, skills and certificates; see text.py)
years          0.15    years of experience against the years the posting asks for (more never hurts)
salary         0.15    the posting's pay against the senior's wished range
distance       0.15    distance from the senior's preferred regions against the longest commute
timing         0.08    the senior's available date against the start (or closing) date
employment     0.07    whether the senior accepts the posting's kind of work
=============  ======  ===========================================================================

Age is not a factor and never will be: hiring may not discriminate by age in Korea
(고용상 연령차별금지 및 고령자고용촉진에 관한 법률), and the index never sees a birth year.

``allwork match-fit`` learns new weights from interview outcomes; ``--save`` writes them to
``<data dir>/matching_weights.json``, which :func:`load_weights` prefers to the defaults below.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np

FACTORS = ("relevance", "years", "salary", "distance", "timing", "employment")
WEIGHTS_FILE = "matching_weights.json"

#: BM25 parameters (the usual ones; b is the document length normalisation)
BM25_K1 = 1.2
BM25_B = 0.75

#: a new match at or above this score is put in the inbox and pushed live
NOTIFY_THRESHOLD = 0.70

#: shape of the factor curves (see scoring.py)
SALARY_FULL_AT_MIN = 0.7  #: pay that reaches only the lowest wish still scores 0.7
SALARY_ZERO_SHORTFALL = 0.3  #: pay 30 % below the lowest wish scores 0
COMMUTE_EDGE = 0.7  #: score at exactly the longest commute; 0 at twice that distance
TIMING_GRACE_DAYS = 90  #: starting this many days late scores 0
START_AFTER_CLOSING_DAYS = 14  #: a posting without a start date starts this long after closing
#: the salary or timing factor of a senior who has not given a pay wish or a start date yet: halfway,
#: neither a fit (1) nor a mismatch (0), so a first profile neither gains nor loses much by leaving it
UNKNOWN = 0.5


@dataclass(frozen=True, slots=True)
class Weights:
    relevance: float = 0.40
    years: float = 0.15
    salary: float = 0.15
    distance: float = 0.15
    timing: float = 0.08
    employment: float = 0.07

    def __post_init__(self) -> None:
        values = [getattr(self, f.name) for f in fields(self)]
        if any(not math.isfinite(v) or v < 0 for v in values) or sum(values) <= 0:
            raise ValueError("weights must be non-negative and not all zero")

    def as_array(self) -> np.ndarray:
        """The weights in :data:`FACTORS` order, scaled to sum to 1."""
        arr = np.array([getattr(self, name) for name in FACTORS], dtype=np.float64)
        return arr / arr.sum()

    def normalized(self) -> Weights:
        return Weights(*(round(float(v), 4) for v in self.as_array()))

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Weights:
        return cls(**{name: float(data[name]) for name in FACTORS if name in data})  # type: ignore[arg-type]


DEFAULT_WEIGHTS = Weights()


def load_weights(data_dir: Path) -> Weights:
    """Fitted weights from the data folder if saved there, else the defaults."""
    path = data_dir / WEIGHTS_FILE
    if not path.exists():
        return DEFAULT_WEIGHTS
    return Weights.from_mapping(json.loads(path.read_text(encoding="utf-8")))


def save_weights(data_dir: Path, weights: Weights) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / WEIGHTS_FILE
    path.write_text(json.dumps(weights.normalized().to_dict(), indent=2) + "\n", encoding="utf-8")
    return path
