"""The company's decision on SQLite and PostgreSQL: only the posting's owner, only from the right stage,
and the senior told by an in-app notice and an e-mail (read back from the outbox) after the commit."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from core.accounts import Role
from core.config import Settings
from core.db import Sessions
from core.errors import InvalidInput
from core.mail import make_mailer
from core.notices import notices_for
from matching import decisions, pipeline
from matching.errors import NotPairCompany, WrongStage
from matching.models import Stage
from tests.interview.rooms.conftest import make_user
from tests.matching.factory import make_pair
from web.composition import CATALOGUES
from web.i18n import Catalogs

pytestmark = pytest.mark.postgres


def _outbox(settings: Settings) -> list[Path]:
    return sorted((settings.data_dir / "outbox" / "mail").glob("*.eml"))


async def test_offer_then_hire_tells_the_senior(sessions: Sessions, settings: Settings) -> None:
    senior = await make_user(sessions, "senior@example.com", "김영수", Role.SENIOR)
    owner = await make_user(sessions, "boss@example.com", "박사장", Role.COMPANY)
    other = await make_user(sessions, "else@example.com", "정대표", Role.COMPANY)
    pair = await make_pair(sessions, senior, owner, title="품질관리 책임자", company="화성정밀")
    mailer = make_mailer(settings)
    translate = Catalogs.load(CATALOGUES).gettext

    for actor in (other, senior):  # another company, the senior: refused, nothing sent
        with pytest.raises(NotPairCompany):
            await decisions.decide(
                sessions, pair.id, actor, "offer", "축하합니다", mailer=mailer, translate=translate
            )
    for outcome in ("scheduled", "withdrawn", "maybe", ""):
        with pytest.raises(InvalidInput):
            await decisions.decide(sessions, pair.id, owner, outcome, "", mailer=mailer, translate=translate)
    with pytest.raises(InvalidInput):
        await decisions.decide(
            sessions, pair.id, owner, "offer", "x" * 2001, mailer=mailer, translate=translate
        )
    with pytest.raises(WrongStage):  # the page showed another stage
        await decisions.decide(
            sessions, pair.id, owner, "offer", "", expected="scheduled", mailer=mailer, translate=translate
        )
    assert _outbox(settings) == [] and await notices_for(sessions, senior.id) == []

    done = await decisions.decide(
        sessions,
        pair.id,
        owner,
        "offer",
        "다음 주 월요일에 전화드리겠습니다.",
        expected="interviewed",
        mailer=mailer,
        translate=translate,
    )
    assert done.stage == Stage.OFFER
    info = await pipeline.pair_info(sessions, pair.id)
    assert info.pair.stage == Stage.OFFER
    last = (await pipeline.history(sessions, pair.id))[-1]
    assert (last.to_stage, last.actor_id, last.reason) == (
        Stage.OFFER,
        owner.id,
        "다음 주 월요일에 전화드리겠습니다.",
    )

    notices = await notices_for(sessions, senior.id)
    assert [(n.kind, n.params, n.url) for n in notices] == [
        ("decision.offer", {"company": "화성정밀", "job": "품질관리 책임자"}, "/senior")
    ]
    [path] = _outbox(settings)
    mail = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert mail["To"] == "senior@example.com"
    assert mail["Subject"] == "화성정밀에서 합격을 제안했습니다: 품질관리 책임자"
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "김영수님, 안녕하세요." in text and "다음 주 월요일에 전화드리겠습니다." in text

    with pytest.raises(WrongStage):  # a double click: offered already
        await decisions.decide(sessions, pair.id, owner, "offer", "", mailer=mailer, translate=translate)
    await decisions.decide(
        sessions,
        pair.id,
        owner,
        "hired",
        "입사를 환영합니다.",
        expected="offer",
        mailer=mailer,
        translate=translate,
    )
    with pytest.raises(WrongStage):  # hired is final
        await decisions.decide(sessions, pair.id, owner, "declined", "", mailer=mailer, translate=translate)
    assert (await pipeline.pair_info(sessions, pair.id)).pair.hired is True
    assert len(_outbox(settings)) == 2
    assert [n.kind for n in await notices_for(sessions, senior.id)] == ["decision.hired", "decision.offer"]
    assert await decisions.decision_messages(sessions, [pair.id]) == {pair.id: "입사를 환영합니다."}


async def test_decline_needs_an_interview_first(sessions: Sessions, settings: Settings) -> None:
    senior = await make_user(sessions, "senior@example.com", "김영수", Role.SENIOR)
    owner = await make_user(sessions, "boss@example.com", "박사장", Role.COMPANY)
    early = await make_pair(sessions, senior, owner, stage=Stage.SCHEDULED)
    with pytest.raises(WrongStage):
        await decisions.decide(sessions, early.id, owner, "declined", "")
    late = await make_pair(sessions, senior, owner, title="설비 보전", company="대성오토텍")
    await decisions.decide(sessions, late.id, owner, "declined", "")  # no mailer: the notice only
    assert (await pipeline.pair_info(sessions, late.id)).pair.hired is False
    assert [n.kind for n in await notices_for(sessions, senior.id)] == ["decision.declined"]
    assert await decisions.decision_messages(sessions, [early.id, late.id]) == {}
