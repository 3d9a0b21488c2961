"""Fit the weights of the match score to interview outcomes and report NDCG@10 before and after.

Input: a list of :class:`Outcome` — a senior, a posting, whether the senior was hired and a
rating (1–5, from the interview's scorecard). They come from the ``hired``/``rating`` columns of
``interview_requests`` (the rooms package fills them from scorecards) or from a CSV file with
the columns ``senior_id,posting_id,hired,rating``.

Each posting with outcomes is one ranking: its interviewed candidates, ordered by score. The gain
of a candidate is the rating (0 when none) plus 2 when hired. NDCG@10 is averaged over postings
with at least one positive gain. The fit is pairwise logistic (RankNet) over the six factor values,
with the weights as a softmax (so they stay positive and sum to 1) and a pull toward the current
weights, so a handful of outcomes cannot swing them far.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from matching import weights as wmod
from matching.index import MatchIndex
from matching.models import InterviewRequest


@dataclass(frozen=True, slots=True)
class Outcome:
    senior_id: int
    posting_id: int
    hired: bool
    rating: int | None = None

    @property
    def gain(self) -> float:
        return float(self.rating or 0) + (2.0 if self.hired else 0.0)


async def load_outcomes(sessions: async_sessionmaker[AsyncSession]) -> list[Outcome]:
    async with sessions() as session:
        rows = await session.scalars(
            select(InterviewRequest).where(
                or_(InterviewRequest.hired.is_not(None), InterviewRequest.rating.is_not(None))
            )
        )
        return [Outcome(r.senior_id, r.posting_id, bool(r.hired), r.rating) for r in rows]


def read_outcomes_csv(path: Path) -> list[Outcome]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rating = (row.get("rating") or "").strip()
            out.append(
                Outcome(
                    int(row["senior_id"]),
                    int(row["posting_id"]),
                    (row.get("hired") or "").strip().lower() in ("1", "true", "yes", "y"),
                    int(rating) if rating else None,
                )
            )
    return out


def ndcg_at(gains_in_order: np.ndarray, k: int = 10) -> float:
    ideal = np.sort(gains_in_order)[::-1][:k]
    discounts = 1 / np.log2(np.arange(2, k + 2))
    idcg = float((ideal * discounts[: len(ideal)]).sum())
    if idcg <= 0:
        return 0.0
    got = gains_in_order[:k]
    return float((got * discounts[: len(got)]).sum()) / idcg


@dataclass(frozen=True, slots=True)
class FitReport:
    weights_before: wmod.Weights
    weights_after: wmod.Weights
    ndcg_before: float
    ndcg_after: float
    groups: int
    outcomes: int
    skipped: int  #: outcomes whose senior or posting is no longer in the index
    #: per hire: (senior, posting, rank before, rank after) within its posting's interviewed candidates
    hires: tuple[tuple[int, int, int, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights_before": self.weights_before.to_dict(),
            "weights_after": self.weights_after.to_dict(),
            "ndcg_at_10_before": round(self.ndcg_before, 4),
            "ndcg_at_10_after": round(self.ndcg_after, 4),
            "groups": self.groups,
            "outcomes": self.outcomes,
            "skipped": self.skipped,
            "hires": [
                {"senior_id": s, "posting_id": p, "rank_before": a, "rank_after": b}
                for s, p, a, b in self.hires
            ],
        }


def _groups(
    index: MatchIndex, outcomes: list[Outcome]
) -> tuple[list[tuple[np.ndarray, np.ndarray, list[Outcome]]], int]:
    by_posting: dict[int, list[Outcome]] = defaultdict(list)
    skipped = 0
    for o in outcomes:
        if index.has_senior(o.senior_id) and index.has_posting(o.posting_id):
            by_posting[o.posting_id].append(o)
        else:
            skipped += 1
    groups = []
    for _posting, items in sorted(by_posting.items()):
        x = np.array([[f.value for f in index.explain(o.senior_id, o.posting_id)[1]] for o in items])
        gains = np.array([o.gain for o in items])
        if len(items) >= 2 and gains.max() > 0:
            groups.append((x, gains, items))
    return groups, skipped


def _mean_ndcg(groups: list[tuple[np.ndarray, np.ndarray, list[Outcome]]], w: np.ndarray) -> float:
    values = []
    for x, gains, items in groups:
        scores = x @ w
        order = np.lexsort(([o.senior_id for o in items], -scores))
        values.append(ndcg_at(gains[order]))
    return float(np.mean(values)) if values else 0.0


def _fit(
    groups: list[tuple[np.ndarray, np.ndarray, list[Outcome]]], start: np.ndarray, steps: int, l2: float
) -> np.ndarray:
    diffs = []
    for x, gains, _ in groups:
        i, j = np.nonzero(gains[:, None] > gains[None, :])
        if len(i):
            diffs.append((x[i] - x[j]) * np.minimum(gains[i] - gains[j], 3.0)[:, None] / 3.0)
    if not diffs:
        return start
    d = np.vstack(diffs)
    theta0 = np.log(np.maximum(start, 1e-4))
    theta = theta0.copy()
    lr = 0.5
    for _ in range(steps):
        w = np.exp(theta - theta.max())
        w /= w.sum()
        margin = d @ w * 8.0  # scores differ by hundredths: sharpen before the logistic
        p = 1 / (1 + np.exp(np.clip(margin, -30, 30)))
        grad_w = -(p[:, None] * d).mean(axis=0) * 8.0
        jac = np.diag(w) - np.outer(w, w)  # d softmax / d theta
        grad = jac @ grad_w + l2 * (theta - theta0)
        theta -= lr * grad
    w = np.exp(theta - theta.max())
    return w / w.sum()


def fit_weights(
    index: MatchIndex, outcomes: list[Outcome], *, steps: int = 400, l2: float = 0.01
) -> FitReport:
    """Learn weights from outcomes (CPU: run in a thread from server code)."""
    before = index.weights
    w0 = before.as_array()
    groups, skipped = _groups(index, outcomes)
    w1 = _fit(groups, w0, steps, l2)
    after = wmod.Weights(*(float(v) for v in w1)).normalized()
    hires = []
    for x, _gains, items in groups:
        for label, w in (("before", w0), ("after", after.as_array())):
            scores = x @ w
            order = list(np.lexsort(([o.senior_id for o in items], -scores)))
            for k, o in enumerate(items):
                if o.hired:
                    hires.append((label, o.senior_id, o.posting_id, order.index(k) + 1))
    ranks: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for label, s, p, rank in hires:
        ranks[(s, p)][label] = rank
    return FitReport(
        weights_before=before.normalized(),
        weights_after=after,
        ndcg_before=_mean_ndcg(groups, w0),
        ndcg_after=_mean_ndcg(groups, after.as_array()),
        groups=len(groups),
        outcomes=sum(len(g[2]) for g in groups),
        skipped=skipped,
        hires=tuple((s, p, r["before"], r["after"]) for (s, p), r in sorted(ranks.items())),
    )
