"""The in-memory match index: every senior and posting as numpy columns plus two inverted indexes.

Ranking 100,000 candidates must take well under 50 ms, so nothing is scored row by row:

* **Relevance** is BM25 with the posting's terms as the query and the senior's career as the
  document, over the corpus of senior profiles, divided by what a document holding each posting
  term once at average length would score (capped at 1). The same number comes out whichever
  side asks. Two inverted indexes (term -> rows, value) hold the senior side's BM25 term weights
  and the posting side's query weights; a ranking touches only the rows that share a term.
* The other factors are array arithmetic over columns (salary, years, region, dates, kinds of
  work); region distances come from a precomputed region × region table.
* The idf and the average document length are a snapshot, refreshed when more than 1 % of the
  senior profiles changed since the last one, so both directions always use the same numbers.
* Changes are appends: an updated senior or posting gets a new row and the old row is marked
  dead; the service builds a fresh index when a quarter of the rows are dead.

All methods take one lock: call them from a worker thread (``asyncio.to_thread``) in server code.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matching import regions, scoring
from matching import weights as wmod
from matching.text import display_term

MAX_PREFS = 10
_NO_REGION = -1


@dataclass(frozen=True, slots=True)
class SeniorDoc:
    """What the index knows of a senior (no birth year: age is never scored). A pay wish or start date
    not given yet is None: NaN and :data:`scoring.NO_DATE` in the columns, scored :data:`weights.UNKNOWN`."""

    senior_id: int
    terms: Mapping[str, int]
    years: float
    salary_min: int | None
    salary_max: int | None
    regions: tuple[str, ...]
    max_commute_km: int
    available_from: date | None
    employment_types: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PostingDoc:
    posting_id: int
    company_id: int
    company_approved: bool
    open: bool
    terms: Mapping[str, int]
    years_required: int
    salary_min: int
    salary_max: int
    region: str
    employment_type: str
    start_date: date | None
    closing_date: date


@dataclass(frozen=True, slots=True)
class PostingFilter:
    regions: tuple[str, ...] = ()  #: posting lies in one of these
    employment_types: tuple[str, ...] = ()
    min_salary: int = 0  #: posting pays at least this much at its top
    min_score: float = 0.0
    company_id: int | None = None


@dataclass(frozen=True, slots=True)
class SeniorFilter:
    regions: tuple[str, ...] = ()  #: senior prefers a region in one of these
    employment_types: tuple[str, ...] = ()  #: senior accepts one of these
    min_years: float = 0.0
    available_by: date | None = None
    min_score: float = 0.0


@dataclass(slots=True)
class Ranked:
    ids: np.ndarray  #: posting or senior ids, best first
    scores: np.ndarray
    total: int  #: candidates passing the filters, before paging


class _Columns:
    """Growable numpy columns sharing one row count."""

    def __init__(self, spec: Mapping[str, tuple[np.dtype | type, object, tuple[int, ...]]]) -> None:
        self.n = 0
        self._cap = 1024
        self._spec = dict(spec)
        self.cols: dict[str, np.ndarray] = {
            name: np.full((self._cap, *shape), fill, dtype=dtype)
            for name, (dtype, fill, shape) in spec.items()
        }

    def append(self, **values: object) -> int:
        if self.n == self._cap:
            self._cap *= 2
            for name, (dtype, fill, shape) in self._spec.items():
                grown = np.full((self._cap, *shape), fill, dtype=dtype)
                grown[: self.n] = self.cols[name][: self.n]
                self.cols[name] = grown
        row = self.n
        for name, value in values.items():
            self.cols[name][row] = value
        self.n += 1
        return row

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name][: self.n]


class _Inverted:
    """term id -> (rows, values), each list growable; rows are unique within a term."""

    def __init__(self) -> None:
        self.rows: dict[int, np.ndarray] = {}
        self.vals: dict[int, np.ndarray] = {}
        self.size: dict[int, int] = {}

    def add(self, row: int, term_ids: np.ndarray, values: np.ndarray) -> None:
        for t, v in zip(term_ids.tolist(), values.tolist(), strict=True):
            n = self.size.get(t, 0)
            rows = self.rows.get(t)
            if rows is None or n == len(rows):
                cap = max(8, 2 * n)
                new_rows = np.empty(cap, dtype=np.int32)
                new_vals = np.empty(cap, dtype=np.float32)
                if rows is not None:
                    new_rows[:n] = rows[:n]
                    new_vals[:n] = self.vals[t][:n]
                self.rows[t], self.vals[t] = new_rows, new_vals
            self.rows[t][n] = row
            self.vals[t][n] = v
            self.size[t] = n + 1

    def bulk(self, rows: np.ndarray, term_ids: np.ndarray, values: np.ndarray) -> None:
        """Add many (row, term, value) triples to an empty index at once."""
        order = np.argsort(term_ids, kind="stable")
        terms, starts, counts = np.unique(term_ids[order], return_index=True, return_counts=True)
        rows, values = rows[order].astype(np.int32), values[order].astype(np.float32)
        for t, a, n in zip(terms.tolist(), starts.tolist(), counts.tolist(), strict=True):
            self.rows[t] = rows[a : a + n].copy()
            self.vals[t] = values[a : a + n].copy()
            self.size[t] = n

    def get(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        n = self.size.get(t, 0)
        if not n:
            return _EMPTY_I, _EMPTY_F
        return self.rows[t][:n], self.vals[t][:n]


_EMPTY_I = np.empty(0, dtype=np.int32)
_EMPTY_F = np.empty(0, dtype=np.float32)


@dataclass(slots=True)
class _Snapshot:
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    unseen_idf: float = 0.0
    avgdl: float = 1.0
    seniors: int = 0


class MatchIndex:
    def __init__(self, weights: wmod.Weights = wmod.DEFAULT_WEIGHTS) -> None:
        self._lock = threading.RLock()
        self.weights = weights
        self._vocab: dict[str, int] = {}
        self._term_list: list[str] = []
        self._df = np.zeros(1024, dtype=np.int32)  #: live seniors holding each term
        self._snap = _Snapshot()
        self._dirty = 0
        self._distances = regions.distance_table()
        self._region_count = len(regions.all_regions())
        self._s = _Columns(
            {
                "id": (np.int64, 0, ()),
                "alive": (np.bool_, False, ()),
                "years": (np.float32, 0, ()),
                "smin": (np.float32, 0, ()),
                "smax": (np.float32, 0, ()),
                "max_km": (np.float32, 0, ()),
                "avail": (np.int32, 0, ()),
                "emp": (np.uint8, 0, ()),
                "dl": (np.float32, 0, ()),
                "prefs": (np.int16, _NO_REGION, (MAX_PREFS,)),
            }
        )
        self._p = _Columns(
            {
                "id": (np.int64, 0, ()),
                "alive": (np.bool_, False, ()),
                "company": (np.int64, 0, ()),
                "approved": (np.bool_, False, ()),
                "open": (np.bool_, False, ()),
                "years": (np.float32, 0, ()),
                "pmin": (np.float32, 0, ()),
                "pmax": (np.float32, 0, ()),
                "region": (np.int16, 0, ()),
                "emp": (np.uint8, 0, ()),
                "start": (np.int32, 0, ()),
                "closing": (np.int32, 0, ()),
                "norm": (np.float32, 1, ()),
            }
        )
        self._s_terms: list[tuple[np.ndarray, np.ndarray]] = []  #: per senior row: term ids, tf
        self._p_terms: list[tuple[np.ndarray, np.ndarray]] = []  #: per posting row: term ids, query weight
        self._s_tf = _Inverted()  #: term -> senior rows, term frequency
        self._s_inv = _Inverted()  #: the same rows, BM25 term weight at the snapshot's avgdl
        self._p_inv = _Inverted()  #: term -> posting rows, query weight
        self._s_row: dict[int, int] = {}
        self._p_row: dict[int, int] = {}
        self._kmax = 1
        self._s_dead = 0
        self._p_dead = 0

    # --- sizes -----------------------------------------------------------------------------------

    @property
    def senior_count(self) -> int:
        return len(self._s_row)

    @property
    def posting_count(self) -> int:
        return len(self._p_row)

    def has_senior(self, senior_id: int) -> bool:
        return senior_id in self._s_row

    def has_posting(self, posting_id: int) -> bool:
        return posting_id in self._p_row

    # --- terms and BM25 --------------------------------------------------------------------------

    def _term_ids(self, terms: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
        ids = np.empty(len(terms), dtype=np.int32)
        tfs = np.empty(len(terms), dtype=np.float32)
        for i, (term, tf) in enumerate(terms.items()):
            t = self._vocab.get(term)
            if t is None:
                t = self._vocab[term] = len(self._vocab)
                self._term_list.append(term)
                if t >= len(self._df):
                    self._df = np.concatenate([self._df, np.zeros(len(self._df), dtype=np.int32)])
            ids[i], tfs[i] = t, tf
        return ids, tfs

    def _idf(self, term_ids: np.ndarray) -> np.ndarray:
        idf = self._snap.idf
        known = term_ids < len(idf)
        out = np.full(len(term_ids), self._snap.unseen_idf, dtype=np.float32)
        out[known] = idf[term_ids[known]]
        return out

    def _bm25_tf(self, tf: np.ndarray, dl: np.ndarray | float) -> np.ndarray:
        k1, b = wmod.BM25_K1, wmod.BM25_B
        return (tf * (k1 + 1) / (tf + k1 * (1 - b + b * np.asarray(dl) / self._snap.avgdl))).astype(
            np.float32
        )

    @staticmethod
    def _query_weight(tf: np.ndarray) -> np.ndarray:
        return (1 + np.log(np.maximum(tf, 1))).astype(np.float32)

    def _refresh_if_stale(self) -> None:
        n = self.senior_count
        if self._dirty == 0 or (self._snap.seniors and self._dirty <= max(0, n // 100)):
            return
        self.refresh()

    def refresh(self) -> None:
        """Recompute idf, average length, the seniors' term weights and the postings' norms."""
        with self._lock:
            n = self.senior_count
            df = self._df[: len(self._vocab)].astype(np.float64)
            idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
            alive = self._s["alive"]
            avgdl = float(self._s["dl"][alive].mean()) if alive.any() else 1.0
            self._snap = _Snapshot(
                idf.astype(np.float32), float(math.log(1 + (n + 0.5) / 0.5)), max(avgdl, 1.0), n
            )
            self._dirty = 0
            dl = self._s["dl"]
            for t in self._s_tf.size:
                rows, tf = self._s_tf.get(t)
                self._s_inv.vals[t][: len(rows)] = self._bm25_tf(tf, dl[rows])
            norms = np.zeros(self._p.n, dtype=np.float32)
            snap_idf = self._snap.idf
            for t in self._p_inv.size:
                rows, qw = self._p_inv.get(t)
                norms[rows] += qw * (snap_idf[t] if t < len(snap_idf) else self._snap.unseen_idf)
            self._p.cols["norm"][: self._p.n] = np.maximum(norms, 1e-6)

    # --- changes ---------------------------------------------------------------------------------

    def upsert_senior(self, doc: SeniorDoc) -> None:
        with self._lock:
            self._drop_senior(doc.senior_id)
            row, ids, tfs = self._append_senior(doc)
            self._s_tf.add(row, ids, tfs)
            self._s_inv.add(row, ids, self._bm25_tf(tfs, self._s.cols["dl"][row]))
            self._dirty += 1

    def _append_senior(self, doc: SeniorDoc) -> tuple[int, np.ndarray, np.ndarray]:
        ids, tfs = self._term_ids(doc.terms)
        prefs = np.full(MAX_PREFS, _NO_REGION, dtype=np.int16)
        for i, code in enumerate(doc.regions[:MAX_PREFS]):
            prefs[i] = regions.get(code).index
        self._kmax = max(self._kmax, min(len(doc.regions), MAX_PREFS))
        row = self._s.append(
            id=doc.senior_id,
            alive=True,
            years=doc.years,
            smin=np.nan if doc.salary_min is None or doc.salary_max is None else doc.salary_min,
            smax=np.nan if doc.salary_min is None or doc.salary_max is None else doc.salary_max,
            max_km=doc.max_commute_km,
            avail=scoring.NO_DATE if doc.available_from is None else doc.available_from.toordinal(),
            emp=scoring.employment_mask(doc.employment_types),
            dl=float(tfs.sum()),
            prefs=prefs,
        )
        self._s_terms.append((ids, tfs))
        self._s_row[doc.senior_id] = row
        np.add.at(self._df, ids, 1)
        return row, ids, tfs

    def load(self, seniors: Iterable[SeniorDoc], postings: Iterable[PostingDoc]) -> None:
        """Fill an empty index in bulk (much faster than one upsert per document)."""
        with self._lock:
            if self._s.n or self._p.n:
                raise RuntimeError("load() fills an empty index only")
            s_rows, s_ids, s_tfs = [], [], []
            for doc in seniors:
                row, ids, tfs = self._append_senior(doc)
                s_rows.append(np.full(len(ids), row, dtype=np.int32))
                s_ids.append(ids)
                s_tfs.append(tfs)
            p_rows, p_ids, p_qws = [], [], []
            for pdoc in postings:
                row, ids, qw = self._append_posting(pdoc)
                p_rows.append(np.full(len(ids), row, dtype=np.int32))
                p_ids.append(ids)
                p_qws.append(qw)
            if s_rows:
                rows, ids, tfs = (np.concatenate(a) for a in (s_rows, s_ids, s_tfs))
                self._s_tf.bulk(rows, ids, tfs)
                self._s_inv.bulk(rows, ids, tfs)  # weights computed by refresh() below
            if p_rows:
                self._p_inv.bulk(*(np.concatenate(a) for a in (p_rows, p_ids, p_qws)))
            self._dirty = 1
            self.refresh()

    def remove_senior(self, senior_id: int) -> None:
        with self._lock:
            if self._drop_senior(senior_id):
                self._dirty += 1

    def _drop_senior(self, senior_id: int) -> bool:
        row = self._s_row.pop(senior_id, None)
        if row is None:
            return False
        self._s.cols["alive"][row] = False
        np.subtract.at(self._df, self._s_terms[row][0], 1)
        self._s_dead += 1
        return True

    def upsert_posting(self, doc: PostingDoc) -> None:
        with self._lock:
            self._drop_posting(doc.posting_id)
            row, ids, qw = self._append_posting(doc)
            self._p_inv.add(row, ids, qw)

    def _append_posting(self, doc: PostingDoc) -> tuple[int, np.ndarray, np.ndarray]:
        ids, tfs = self._term_ids(doc.terms)
        qw = self._query_weight(tfs)
        row = self._p.append(
            id=doc.posting_id,
            alive=True,
            company=doc.company_id,
            approved=doc.company_approved,
            open=doc.open,
            years=doc.years_required,
            pmin=doc.salary_min,
            pmax=doc.salary_max,
            region=regions.get(doc.region).index,
            emp=scoring.employment_mask((doc.employment_type,)),
            start=doc.start_date.toordinal() if doc.start_date else 0,
            closing=doc.closing_date.toordinal(),
            norm=max(float((qw * self._idf(ids)).sum()), 1e-6),
        )
        self._p_terms.append((ids, qw))
        self._p_row[doc.posting_id] = row
        return row, ids, qw

    def remove_posting(self, posting_id: int) -> None:
        with self._lock:
            self._drop_posting(posting_id)

    def _drop_posting(self, posting_id: int) -> bool:
        row = self._p_row.pop(posting_id, None)
        if row is None:
            return False
        self._p.cols["alive"][row] = False
        self._p_dead += 1
        return True

    def set_company_approved(self, company_id: int, approved: bool) -> None:
        with self._lock:
            cols = self._p.cols
            n = self._p.n
            cols["approved"][:n][cols["company"][:n] == company_id] = approved

    @property
    def dead_share(self) -> float:
        total = self._s.n + self._p.n
        return (self._s_dead + self._p_dead) / total if total else 0.0

    # --- scoring ---------------------------------------------------------------------------------

    def _factors_for_posting(self, prow: int) -> np.ndarray:
        """Factors (6 × seniors) of one posting against every senior row."""
        ids, qw = self._p_terms[prow]
        s = self._s
        acc = np.zeros(s.n, dtype=np.float32)
        q = qw * self._idf(ids)
        for t, qv in zip(ids.tolist(), q.tolist(), strict=True):
            rows, vals = self._s_inv.get(t)
            if len(rows):
                acc[rows] += vals * qv
        p = self._p.cols
        relevance = np.minimum(acc / p["norm"][prow], 1.0)
        years = scoring.years_factor(s["years"], np.float32(p["years"][prow]))
        salary = scoring.salary_factor(s["smin"], s["smax"], p["pmax"][prow])
        km = self._min_distance(s["prefs"], int(p["region"][prow]))
        distance = scoring.distance_factor(km, s["max_km"])
        start = scoring.start_day(p["start"][prow], p["closing"][prow])
        timing = scoring.timing_factor(s["avail"], start)
        employment = scoring.employment_factor(s["emp"], p["emp"][prow])
        return np.stack([relevance, years, salary, distance, timing, employment])

    def _factors_for_senior(self, srow: int) -> np.ndarray:
        """Factors (6 × postings) of one senior against every posting row."""
        ids, tfs = self._s_terms[srow]
        s = self._s.cols
        p = self._p
        acc = np.zeros(p.n, dtype=np.float32)
        weight = self._bm25_tf(tfs, s["dl"][srow]) * self._idf(ids)
        for t, wv in zip(ids.tolist(), weight.tolist(), strict=True):
            rows, vals = self._p_inv.get(t)
            if len(rows):
                acc[rows] += vals * wv
        relevance = np.minimum(acc / p["norm"], 1.0)
        years = scoring.years_factor(np.float32(s["years"][srow]), p["years"])
        salary = scoring.salary_factor(s["smin"][srow], s["smax"][srow], p["pmax"])
        prefs = s["prefs"][srow][: self._kmax]
        prefs = prefs[prefs >= 0].astype(np.intp)
        if len(prefs):
            km = self._distances[:, prefs].min(axis=1)[p["region"].astype(np.intp)]
        else:
            km = np.full(p.n, np.inf, dtype=np.float32)
        distance = scoring.distance_factor(km, s["max_km"][srow])
        timing = scoring.timing_factor(s["avail"][srow], scoring.start_day(p["start"], p["closing"]))
        employment = scoring.employment_factor(s["emp"][srow], p["emp"])
        return np.stack([relevance, years, salary, distance, timing, employment])

    def _pair_factors(self, srow: int, prow: int, bm25: float) -> np.ndarray:
        """The six factors of one pair (the same formulas as the vectorised ranking)."""
        s, p = self._s.cols, self._p.cols
        one = slice(srow, srow + 1)
        relevance = np.minimum(np.float32(bm25) / p["norm"][prow], 1.0)
        km = self._min_distance(s["prefs"][one], int(p["region"][prow]))
        start = scoring.start_day(p["start"][prow], p["closing"][prow])
        return np.array(
            [
                relevance,
                scoring.years_factor(s["years"][one], np.float32(p["years"][prow]))[0],
                scoring.salary_factor(s["smin"][one], s["smax"][one], p["pmax"][prow])[0],
                scoring.distance_factor(km, s["max_km"][one])[0],
                scoring.timing_factor(s["avail"][one], start)[0],
                scoring.employment_factor(s["emp"][one], p["emp"][prow])[0],
            ],
            dtype=np.float32,
        )

    def _min_distance(self, prefs: np.ndarray, region: int) -> np.ndarray:
        row = np.append(self._distances[region], np.float32(np.inf))  # index -1 -> inf
        return row[prefs[:, : self._kmax]].min(axis=1)

    def _region_mask(self, codes: Iterable[str]) -> np.ndarray:
        """Boolean over region indexes (plus a False at -1) for "lies in one of these"."""
        mask = np.zeros(self._region_count + 1, dtype=bool)
        outer = [regions.get(c) for c in codes]
        for r in regions.all_regions():
            mask[r.index] = any(regions.contains(o, r) or regions.contains(r, o) for o in outer)
        return mask

    # --- ranking ---------------------------------------------------------------------------------

    def rank_postings(
        self,
        senior_id: int,
        today: date,
        flt: PostingFilter = PostingFilter(),
        offset: int = 0,
        limit: int = 20,
    ) -> Ranked:
        with self._lock:
            self._refresh_if_stale()
            srow = self._s_row[senior_id]
            p = self._p
            if p.n == 0:
                return Ranked(np.empty(0, np.int64), np.empty(0, np.float32), 0)
            scores = scoring.combine(self._factors_for_senior(srow), self.weights.as_array())
            mask = p["alive"] & p["approved"] & p["open"] & (p["closing"] >= today.toordinal())
            if flt.regions:
                mask &= self._region_mask(flt.regions)[p["region"].astype(np.intp)]
            if flt.employment_types:
                mask &= (p["emp"] & scoring.employment_mask(flt.employment_types)) != 0
            if flt.min_salary:
                mask &= p["pmax"] >= flt.min_salary
            if flt.company_id is not None:
                mask &= p["company"] == flt.company_id
            if flt.min_score:
                mask &= scores >= flt.min_score
            return _top(p["id"], scores, mask, offset, limit)

    def rank_seniors(
        self, posting_id: int, flt: SeniorFilter = SeniorFilter(), offset: int = 0, limit: int = 20
    ) -> Ranked:
        with self._lock:
            self._refresh_if_stale()
            prow = self._p_row[posting_id]
            s = self._s
            if s.n == 0:
                return Ranked(np.empty(0, np.int64), np.empty(0, np.float32), 0)
            scores = scoring.combine(self._factors_for_posting(prow), self.weights.as_array())
            mask = s["alive"].copy()
            if flt.regions:
                allowed = self._region_mask(flt.regions)
                mask &= allowed[s["prefs"][:, : self._kmax].astype(np.intp)].any(axis=1)
            if flt.employment_types:
                mask &= (s["emp"] & scoring.employment_mask(flt.employment_types)) != 0
            if flt.min_years:
                mask &= s["years"] >= flt.min_years
            if flt.available_by is not None:  # a senior who has not given a date is not known to be free
                mask &= (s["avail"] <= flt.available_by.toordinal()) & (s["avail"] != scoring.NO_DATE)
            if flt.min_score:
                mask &= scores >= flt.min_score
            return _top(s["id"], scores, mask, offset, limit)

    def seniors_above(self, posting_id: int, threshold: float) -> Ranked:
        """Every senior whose match with a posting scores at least ``threshold`` (for notifying)."""
        return self.rank_seniors(posting_id, SeniorFilter(min_score=threshold), 0, self._s.n)

    def postings_above(self, senior_id: int, today: date, threshold: float) -> Ranked:
        return self.rank_postings(senior_id, today, PostingFilter(min_score=threshold), 0, self._p.n)

    def company_of(self, posting_id: int) -> int:
        return int(self._p.cols["company"][self._p_row[posting_id]])

    def is_matchable(self, posting_id: int, today: date) -> bool:
        row = self._p_row.get(posting_id)
        if row is None:
            return False
        c = self._p.cols
        return bool(c["approved"][row] and c["open"][row] and c["closing"][row] >= today.toordinal())

    # --- explaining ------------------------------------------------------------------------------

    def explain(self, senior_id: int, posting_id: int) -> tuple[float, list[scoring.Factor]]:
        """The score of one pair and each factor's number and reason."""
        with self._lock:
            self._refresh_if_stale()
            srow, prow = self._s_row[senior_id], self._p_row[posting_id]
            s, p = self._s.cols, self._p.cols
            s_ids, s_tf = self._s_terms[srow]
            p_ids, qw = self._p_terms[prow]
            common, si, pi = np.intersect1d(s_ids, p_ids, return_indices=True)
            contrib = self._bm25_tf(s_tf[si], s["dl"][srow]) * self._idf(common) * qw[pi]
            values = self._pair_factors(srow, prow, float(contrib.sum()))
            weights = self.weights.as_array()
            order = np.argsort(-contrib, kind="stable")
            shown = _matched_labels([self._term_list[int(common[i])] for i in order.tolist()])
            # the duties' weightiest terms the senior lacks: said when the experience hardly meets them
            lack = ~np.isin(p_ids, common)
            lacking = p_ids[lack]
            by_weight = np.argsort(-(qw[lack] * self._idf(lacking)), kind="stable")
            missing = _matched_labels([self._term_list[int(lacking[i])] for i in by_weight.tolist()], 3)
            prefs = [int(x) for x in s["prefs"][srow] if x >= 0]
            region = int(p["region"][prow])
            km_each = [float(self._distances[region, r]) for r in prefs]
            nearest = prefs[int(np.argmin(km_each))]
            all_regions = regions.all_regions()
            start = int(scoring.start_day(p["start"][prow], p["closing"][prow]))
            pay_min, pay_max = int(p["pmin"][prow]), int(p["pmax"][prow])
            emp_bit = int(p["emp"][prow])
            emp_type = next(k for k, v in scoring.EMPLOYMENT_BITS.items() if v == emp_bit)
            wish = (float(s["smin"][srow]), float(s["smax"][srow]))
            has_wish = not (math.isnan(wish[0]) or math.isnan(wish[1]))
            avail = int(s["avail"][srow])
            has_date = avail != scoring.NO_DATE
            reasons = [
                scoring.relevance_reason(shown, float(values[0]), missing),
                scoring.years_reason(float(s["years"][srow]), int(p["years"][prow])),
                scoring.salary_reason(
                    int(wish[0]) if has_wish else None, int(wish[1]) if has_wish else None, pay_min, pay_max
                ),
                scoring.distance_reason(
                    min(km_each), int(s["max_km"][srow]), all_regions[region], all_regions[nearest]
                ),
                scoring.timing_reason(
                    date.fromordinal(avail) if has_date else None,
                    date.fromordinal(start),
                    bool(p["start"][prow]),
                ),
                scoring.employment_reason(emp_type, bool(values[5] > 0)),
            ]
            known = {"salary": has_wish, "timing": has_date}
            factors = [
                scoring.Factor(name, float(values[i]), float(weights[i]), msg, params, known.get(name, True))
                for i, (name, (msg, params)) in enumerate(zip(wmod.FACTORS, reasons, strict=True))
            ]
            return float((weights * values).sum()), factors

    @property
    def vocabulary_size(self) -> int:
        return len(self._vocab)


def _matched_labels(terms: list[str], limit: int = 5) -> list[str]:
    """The matched terms worth showing, best first: concepts and noun pairs before single words,
    and no word already shown inside a longer label (품질 after 품질관리)."""
    compound = [t for t in terms if t.startswith("@") or "_" in t]
    single = [t for t in terms if t not in compound]
    shown: list[str] = []
    keys: list[str] = []
    for term in compound + single:
        label = display_term(term)
        key = label.replace(" ", "").lower()
        if key in keys or (term in single and any(key in k for k in keys)):
            continue
        shown.append(label)
        keys.append(key)
        if len(shown) == limit:
            break
    return shown


def _top(ids: np.ndarray, scores: np.ndarray, mask: np.ndarray, offset: int, limit: int) -> Ranked:
    candidates = np.flatnonzero(mask)
    total = len(candidates)
    end = min(offset + limit, total)
    if end <= offset:
        return Ranked(np.empty(0, np.int64), np.empty(0, np.float32), total)
    cand_scores = scores[candidates]
    part = np.argpartition(-cand_scores, end - 1)[:end] if end < total else np.arange(total)
    # best first; ties broken by id so pages are stable
    order = part[np.lexsort((ids[candidates[part]], -cand_scores[part]))][offset:end]
    rows = candidates[order]
    return Ranked(ids[rows].copy(), scores[rows].copy(), total)
