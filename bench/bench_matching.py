"""Benchmark the match index: 100,000 postings and 100,000 seniors, synthetic but realistic.

Prints JSON: p50/p95 of ranking every posting for one senior and every senior for one posting
(a page of 20, each with its factors and reasons, as the service returns it), and of notifying
for one new posting against every senior (analyse its text with Kiwi, add it to the index,
find the seniors above the threshold).

    .venv/bin/python bench/bench_matching.py [--seniors 100000] [--postings 100000] [--runs 50]

Documents are built from Korean job phrases of 15 job families (quality, production, logistics,
accounting, facilities …), mixed the way real careers mix (mostly one family, some from a second),
with salaries, years, regions over all 시/군/구, dates and kinds of work drawn at random.
Each phrase is analysed with Kiwi once and a document's terms are the sum of its phrases'.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import Counter
from datetime import date, timedelta

from matching import regions
from matching.index import MatchIndex, PostingDoc, SeniorDoc
from matching.text import term_counts
from matching.weights import NOTIFY_THRESHOLD

FAMILIES: dict[str, list[str]] = {
    "quality": [
        "자동차 부품 품질관리",
        "수입검사 및 출하검사",
        "협력사 품질 감사",
        "ISO 9001 인증 유지",
        "IATF 16949 대응",
        "고객 클레임 대응",
        "SPC 공정능력 분석",
        "6시그마 개선 활동",
        "QC inspector",
    ],
    "production": [
        "생산계획 수립",
        "생산관리와 공정관리",
        "라인 작업자 배치",
        "설비 가동률 관리",
        "생산 실적 집계",
        "production planning",
        "조립라인 운영",
    ],
    "logistics": [
        "지게차 운전",
        "물류창고 입출고 관리",
        "재고관리와 재고 실사",
        "피킹과 상하차",
        "WMS 운영",
        "배송 차량 배차",
        "forklift operation",
    ],
    "accounting": [
        "전표 입력과 결산",
        "부가세 신고 준비",
        "급여와 4대보험 관리",
        "더존 전산회계",
        "법인세 자료 준비",
        "경리 업무 총괄",
        "bookkeeping",
    ],
    "facilities": [
        "빌딩 시설관리",
        "전기설비 점검",
        "냉난방 설비 유지보수",
        "소방 설비 점검",
        "수변전 설비 관리",
        "facility management",
    ],
    "security": ["출입 통제와 순찰", "CCTV 관제", "주차 관리", "경비 업무", "security guard"],
    "machining": ["CNC 선반 가공", "MCT 가공", "도면 해독", "치공구 관리", "밀링 가공", "machining"],
    "welding": ["CO2 용접", "TIG 용접", "배관 용접", "용접 품질 검사", "welding"],
    "safety": ["산업안전 관리", "위험성 평가", "안전보건 교육", "중대재해 예방", "safety management"],
    "purchasing": ["원자재 구매", "협력사 관리", "단가 협상", "자재관리", "purchasing"],
    "sales": ["거래처 관리", "B2B 영업", "신규 고객 발굴", "영업 실적 관리", "sales management"],
    "hr": ["채용과 인사관리", "노무 관리", "교육훈련 기획", "급여 제도 운영", "human resources"],
    "care": ["요양보호사 업무", "어르신 돌봄", "사회복지 프로그램 운영", "간병 업무"],
    "cooking": ["단체급식 조리", "식단 관리", "주방 위생 관리", "HACCP 관리", "조리사 업무"],
    "driving": ["화물 운전", "배송기사 업무", "버스 운전", "차량 정비 관리", "truck driver"],
}
SKILLS: dict[str, list[str]] = {
    "quality": ["품질경영기사", "ISO 9001", "SPC", "6시그마"],
    "production": ["생산관리", "ERP", "엑셀"],
    "logistics": ["지게차운전기능사", "재고관리", "WMS"],
    "accounting": ["전산회계 1급", "더존", "엑셀"],
    "facilities": ["전기기사", "공조냉동기계기능사", "소방설비기사"],
    "security": ["경비원 신임교육", "소방안전관리자"],
    "machining": ["CNC", "도면", "컴퓨터응용선반기능사"],
    "welding": ["용접기능사", "특수용접기능사"],
    "safety": ["산업안전기사", "건설안전기사"],
    "purchasing": ["ERP", "SAP", "무역영어"],
    "sales": ["운전면허", "엑셀"],
    "hr": ["공인노무사", "엑셀"],
    "care": ["요양보호사", "사회복지사"],
    "cooking": ["한식조리기능사", "위생사"],
    "driving": ["1종 대형", "화물운송종사자격"],
}
TYPES = ("full_time", "part_time", "contract")


def _phrase_terms() -> dict[str, Counter[str]]:
    phrases = {p for fam in FAMILIES.values() for p in fam} | {s for fam in SKILLS.values() for s in fam}
    return {p: Counter(term_counts(p)) for p in phrases}


def _terms(rng: random.Random, cache: dict[str, Counter[str]], n_phrases: int) -> dict[str, int]:
    families = list(FAMILIES)
    main = rng.choice(families)
    second = rng.choice(families)
    counts: Counter[str] = Counter()
    for _ in range(n_phrases):
        fam = main if rng.random() < 0.75 else second
        counts.update(cache[rng.choice(FAMILIES[fam])])
    counts.update(cache[rng.choice(SKILLS[main])])
    return dict(counts)


def make_seniors(n: int, rng: random.Random, cache: dict[str, Counter[str]], today: date) -> list[SeniorDoc]:
    sigungu = [r.code for r in regions.all_regions() if not r.is_sido]
    sido = [r.code for r in regions.all_regions() if r.is_sido]
    out = []
    for i in range(n):
        low = rng.randrange(180, 500, 10)
        prefs = tuple(rng.sample(sigungu, rng.randint(1, 3))) if rng.random() < 0.85 else (rng.choice(sido),)
        out.append(
            SeniorDoc(
                senior_id=i + 1,
                terms=_terms(rng, cache, rng.randint(4, 10)),
                years=float(rng.randint(15, 35)),
                salary_min=low,
                salary_max=low + rng.randrange(0, 150, 10),
                regions=prefs,
                max_commute_km=rng.choice((10, 20, 30, 40, 60)),
                available_from=today + timedelta(days=rng.randint(0, 60)),
                employment_types=tuple(rng.sample(TYPES, rng.randint(1, 3))),
            )
        )
    return out


def make_postings(
    n: int, rng: random.Random, cache: dict[str, Counter[str]], today: date, first_id: int = 1
) -> list[PostingDoc]:
    sigungu = [r.code for r in regions.all_regions() if not r.is_sido]
    out = []
    for i in range(n):
        low = rng.randrange(200, 450, 10)
        closing = today + timedelta(days=rng.randint(1, 60))
        out.append(
            PostingDoc(
                posting_id=first_id + i,
                company_id=1 + i // 5,
                company_approved=rng.random() < 0.9,
                open=rng.random() < 0.95,
                terms=_terms(rng, cache, rng.randint(3, 6)),
                years_required=rng.choice((0, 1, 3, 5, 10, 15)),
                salary_min=low,
                salary_max=low + rng.randrange(20, 120, 10),
                region=rng.choice(sigungu),
                employment_type=rng.choice(TYPES),
                start_date=closing + timedelta(days=rng.randint(0, 30)) if rng.random() < 0.7 else None,
                closing_date=closing,
            )
        )
    return out


def _pct(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return {"p50_ms": round(statistics.median(values) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seniors", type=int, default=100_000)
    ap.add_argument("--postings", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    today = date.today()
    t0 = time.perf_counter()
    cache = _phrase_terms()
    seniors = make_seniors(args.seniors, rng, cache, today)
    postings = make_postings(args.postings, rng, cache, today)
    t1 = time.perf_counter()
    index = MatchIndex()
    index.load(seniors, postings)
    t2 = time.perf_counter()

    rank_postings, rank_seniors, notify = [], [], []
    for _ in range(args.runs):
        sid = rng.randint(1, args.seniors)
        t = time.perf_counter()
        ranked = index.rank_postings(sid, today, offset=0, limit=20)
        for p in ranked.ids:
            index.explain(sid, int(p))
        rank_postings.append(time.perf_counter() - t)

        pid = rng.randint(1, args.postings)
        t = time.perf_counter()
        ranked = index.rank_seniors(pid, offset=0, limit=20)
        for s in ranked.ids:
            index.explain(int(s), pid)
        rank_seniors.append(time.perf_counter() - t)

    notified = []
    for k in range(max(5, args.runs // 5)):
        fam = rng.choice(list(FAMILIES))
        text = ", ".join(rng.sample(FAMILIES[fam], 3))
        doc = make_postings(1, rng, cache, today, first_id=args.postings + 1 + k)[0]
        t = time.perf_counter()
        terms = term_counts(f"{fam} 담당자 모집", text)  # the new posting's text, analysed with Kiwi
        new = PostingDoc(
            **{
                **{f: getattr(doc, f) for f in doc.__slots__},
                "terms": terms,
                "company_approved": True,
                "open": True,
            }
        )
        index.upsert_posting(new)
        above = index.seniors_above(new.posting_id, NOTIFY_THRESHOLD)
        notify.append(time.perf_counter() - t)
        notified.append(above.total)

    print(
        json.dumps(
            {
                "seniors": args.seniors,
                "postings": args.postings,
                "vocabulary": index.vocabulary_size,
                "generate_s": round(t1 - t0, 2),
                "index_load_s": round(t2 - t1, 2),
                "rank_postings_for_senior": {**_pct(rank_postings), "runs": len(rank_postings), "page": 20},
                "rank_seniors_for_posting": {**_pct(rank_seniors), "runs": len(rank_seniors), "page": 20},
                "notify_new_posting": {
                    **_pct(notify),
                    "runs": len(notify),
                    "threshold": NOTIFY_THRESHOLD,
                    "seniors_notified_median": int(statistics.median(notified)),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
