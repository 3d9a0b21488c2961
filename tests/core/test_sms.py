"""Text messages: the outbox sender, and a deployment's own gateway plugged in by a setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import outbox
from core.config import ConfigError, Settings, load_settings
from core.sms import OutboxSms, SmsRejected, make_sms_sender

SENT: list[tuple[str, str]] = []


class _Gateway:
    async def send(self, phone: str, text: str) -> None:
        SENT.append((phone, text))


def gateway(settings: Settings) -> _Gateway:
    """A stand-in for a Korean SMS provider's client, loaded as ``tests.core.test_sms:gateway``."""
    return _Gateway()


async def test_outbox_is_the_default(data_dir: Path) -> None:
    sender = make_sms_sender(load_settings(data_dir=data_dir))
    assert isinstance(sender, OutboxSms)
    await sender.send("010-1234-5678", "[올워크] 내일 오후 1:45 면접이 있습니다.")
    [path] = (data_dir / "outbox" / "sms").iterdir()
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["to"] == "01012345678" and record["text"].startswith("[올워크]")
    [item] = outbox.items(data_dir, "sms")
    assert item.to == "01012345678"
    content = outbox.read(data_dir, "sms", item.name)
    assert content is not None and "면접" in content.text


@pytest.mark.parametrize(
    ("phone", "text"), [("call me", "hi"), ("010-1234-5678", "  "), ("01012345678", "x" * 2001)]
)
async def test_bad_messages_are_refused_and_nothing_is_kept(data_dir: Path, phone: str, text: str) -> None:
    with pytest.raises(SmsRejected):
        await OutboxSms(data_dir).send(phone, text)
    assert outbox.items(data_dir, "sms") == []


async def test_a_gateway_is_chosen_by_setting(data_dir: Path) -> None:
    sender = make_sms_sender(load_settings(data_dir=data_dir, sms_backend="tests.core.test_sms:gateway"))
    await sender.send("01012345678", "안녕하세요")
    assert SENT[-1] == ("01012345678", "안녕하세요")


def test_unknown_backends_name_the_variable(data_dir: Path) -> None:
    with pytest.raises(ConfigError, match="ALLWORK_SMS_BACKEND"):
        load_settings(data_dir=data_dir, sms_backend="carrier pigeon")
    with pytest.raises(ConfigError, match="ALLWORK_SMS_BACKEND"):
        make_sms_sender(load_settings(data_dir=data_dir, sms_backend="no_such_module:factory"))
