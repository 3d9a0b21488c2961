"""``allwork match`` and ``allwork match-fit`` on a migrated SQLite database holding the demo data."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.accounts import AccountInput, Role, create_user
from core.config import Settings
from core.db import create_engine, session_factory
from matching.cli import register
from matching.demo import load_demo
from matching.models import Posting, SeniorProfile
from matching.weights import WEIGHTS_FILE
from web.composition import upgrade


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="allwork")
    register(parser.add_subparsers(dest="command", required=True))
    return parser


async def _demo(settings: Settings) -> dict[str, Any]:
    engine = create_engine(settings)
    sessions = session_factory(engine)
    try:
        users: dict[str, Any] = {}
        for key, role in (("senior", Role.SENIOR), ("company", Role.COMPANY), ("admin", Role.ADMIN)):
            user = await create_user(sessions, AccountInput(f"{key}@example.com", key, "password-1234", role))
            users[key] = user.id
        await load_demo(sessions, users)
        async with sessions() as session:
            quality = await session.scalar(
                select(Posting.id).where(Posting.title == "자동차 부품 품질관리 책임자")
            )
            assert quality is not None
            users["quality_posting"] = quality
            senior_ids = sorted((await session.scalars(select(SeniorProfile.user_id))).all())
            users["seniors"] = len(senior_ids)
            users["other_seniors"] = [s for s in senior_ids if s != users["senior"]]
            users["postings"] = len((await session.scalars(select(Posting.id))).all())
        await load_demo(sessions, users)  # idempotent: a second run adds nothing
        async with sessions() as session:
            assert len((await session.scalars(select(SeniorProfile.user_id))).all()) == users["seniors"]
            assert len((await session.scalars(select(Posting.id))).all()) == users["postings"]
        return users
    finally:
        await engine.dispose()


@pytest.fixture
def demo(settings: Settings) -> dict[str, Any]:
    upgrade(settings.effective_database_url)
    return asyncio.run(_demo(settings))


def test_match_senior_json_lists_postings_with_reasons(
    demo: dict[str, Any], settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert demo["seniors"] == 4 and demo["postings"] == 10
    args = _parser().parse_args(["match", "--senior", str(demo["senior"]), "--top", "3", "--json"])
    assert args.func(args, settings) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == 10 and len(out["items"]) == 3
    first = out["items"][0]
    assert first["title"] == "자동차 부품 품질관리 책임자"
    assert [f["name"] for f in first["factors"]] == [
        "relevance",
        "years",
        "salary",
        "distance",
        "timing",
        "employment",
    ]
    assert all(0 <= f["value"] <= 1 and f["reason"] for f in first["factors"])
    scores = [i["score"] for i in out["items"]]
    assert scores == sorted(scores, reverse=True)
    titles = [i["title"] for i in out["items"]]
    assert "물류센터 지게차 운전원" not in titles and "건물 경비·보안 (격일제)" not in titles


def test_match_posting_text_and_unknown_senior(
    demo: dict[str, Any], settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _parser().parse_args(["match", "--posting", str(demo["quality_posting"])])
    assert args.func(args, settings) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "4 matches"
    assert f"senior {demo['senior']}: senior — 자동차 부품 품질관리 20년" in text.splitlines()[1]
    assert "relevance" in text and "Experience matches the duties" in text
    args = _parser().parse_args(["match", "--senior", "99999"])
    assert args.func(args, settings) == 1
    assert "profile_missing" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _parser().parse_args(["match", "--senior", "1", "--posting", "2"])


def test_match_fit_from_csv_reports_ndcg(
    demo: dict[str, Any], settings: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = ["senior_id,posting_id,hired,rating"]
    seniors = [demo["senior"], *demo["other_seniors"]]
    posting = demo["quality_posting"]
    for s in seniors:
        hired = s == demo["senior"]
        rows.append(f"{s},{posting},{'yes' if hired else 'no'},{5 if hired else 2}")
    csv_path = tmp_path / "outcomes.csv"
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = _parser().parse_args(["match-fit", "--outcomes", str(csv_path), "--json", "--save"])
    assert args.func(args, settings) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["groups"] == 1 and report["outcomes"] == len(seniors)
    assert report["ndcg_at_10_before"] == 1.0  # the quality manager already ranks first
    assert report["hires"] == [
        {"senior_id": demo["senior"], "posting_id": posting, "rank_before": 1, "rank_after": 1}
    ]
    saved = json.loads((settings.data_dir / WEIGHTS_FILE).read_text())
    assert abs(sum(saved.values()) - 1) < 1e-3
