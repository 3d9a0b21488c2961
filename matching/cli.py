"""Command line: ``allwork match`` (a ranked list with reasons) and ``allwork match-fit``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from core.config import Settings
from core.db import create_engine, session_factory
from core.errors import AllWorkError
from matching import fit
from matching.index import MatchIndex
from matching.service import MatchingService, MatchPage
from matching.weights import load_weights, save_weights


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("match", help="ranked matches for a senior or a posting, with each factor's reason")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--senior", type=int, metavar="ID", help="senior's user id: postings for them")
    who.add_argument("--posting", type=int, metavar="ID", help="posting id: candidates for it")
    p.add_argument("--top", type=int, default=10, metavar="N", help="how many (default 10, at most 100)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=match_command)

    f = sub.add_parser("match-fit", help="fit the match weights to interview outcomes (NDCG@10 before/after)")
    f.add_argument(
        "--outcomes", type=Path, metavar="CSV", help="senior_id,posting_id,hired,rating (default: database)"
    )
    f.add_argument("--save", action="store_true", help="save the fitted weights to the data folder")
    f.add_argument("--json", action="store_true", help="print JSON")
    f.set_defaults(func=fit_command)


def match_command(args: argparse.Namespace, settings: Settings) -> int:
    if not 1 <= args.top <= 100:
        print("--top must be between 1 and 100", file=sys.stderr)
        return 2
    try:
        page = asyncio.run(_match(args, settings))
    except AllWorkError as exc:
        print(f"{exc.code}: {exc.message % exc.params if exc.params else exc.message}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(page.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_page(page, by_senior=args.senior is not None)
    return 0


async def _match(args: argparse.Namespace, settings: Settings) -> MatchPage:
    from core.accounts import Role, User

    engine = create_engine(settings)
    try:
        service = MatchingService(session_factory(engine), load_weights(settings.data_dir))
        operator = User(id=0, email="cli@localhost", name="cli", role=Role.ADMIN)
        if args.senior is not None:
            return await service.rank_postings_for_senior(args.senior, per_page=args.top)
        return await service.rank_seniors_for_posting(args.posting, operator, per_page=args.top)
    finally:
        await engine.dispose()


def _print_page(page: MatchPage, by_senior: bool) -> None:
    print(f"{page.total} matches")
    for n, item in enumerate(page.items, 1):
        info = item.info
        if by_senior:
            head = f"posting {item.posting_id}: {info.get('title', '')} — {info.get('company', '')}"
        else:
            head = f"senior {item.senior_id}: {info.get('name', '')} — {info.get('headline', '')}"
        print(f"{n:>3}. {item.score:.3f}  {head}")
        for f in item.factors:
            reason = f.reason % f.params if f.params else f.reason
            print(f"       {f.name:<10} {f.value:.2f} × {f.weight:.2f}  {reason}")


def fit_command(args: argparse.Namespace, settings: Settings) -> int:
    report = asyncio.run(_fit(args, settings))
    if args.save and report.groups:
        from matching.weights import Weights

        path = save_weights(settings.data_dir, Weights.from_mapping(report.weights_after.to_dict()))
        print(f"saved {path}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_report(report.to_dict())
    return 0 if report.groups else 1


async def _fit(args: argparse.Namespace, settings: Settings) -> fit.FitReport:
    engine = create_engine(settings)
    try:
        sessions = session_factory(engine)
        service = MatchingService(sessions, load_weights(settings.data_dir))
        index: MatchIndex = await service.index()
        outcomes = (
            fit.read_outcomes_csv(args.outcomes) if args.outcomes else await fit.load_outcomes(sessions)
        )
        return await asyncio.to_thread(fit.fit_weights, index, outcomes)
    finally:
        await engine.dispose()


def _print_report(r: dict[str, Any]) -> None:
    print(f"{r['outcomes']} outcomes in {r['groups']} postings ({r['skipped']} skipped)")
    print(f"NDCG@10 before {r['ndcg_at_10_before']:.4f}  after {r['ndcg_at_10_after']:.4f}")
    for name, before in r["weights_before"].items():
        print(f"  {name:<10} {before:.3f} -> {r['weights_after'][name]:.3f}")
    for h in r["hires"]:
        pair = f"senior {h['senior_id']} posting {h['posting_id']}"
        print(f"  hire {pair}: rank {h['rank_before']} -> {h['rank_after']}")
