"""Outgoing mail: the outbox default, a real SMTP server, and a refused connection that loses nothing."""

from __future__ import annotations

import logging
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from core import outbox
from core.config import load_settings
from core.mail import Mailer, SmtpServer, make_mailer
from tests.core.smtp_server import free_port, smtp_server


def _message(to: str = "kim@example.kr", subject: str = "면접 안내") -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = subject
    message.set_content("김영수님, 면접이 잡혔습니다.\n12월 3일 (목) 오후 1:45")
    return message


def _stored(path: Path) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(parsed, EmailMessage)
    return parsed


async def test_outbox_is_the_default(data_dir: Path) -> None:
    mailer = make_mailer(load_settings(data_dir=data_dir))
    assert mailer.smtp is None
    first = await mailer.send(_message(subject="첫째"))
    second = await mailer.send(_message(subject="둘째"))

    assert first.sent is None and second.sent is None
    folder = data_dir / "outbox" / "mail"
    assert sorted(p.name for p in folder.iterdir()) == sorted([first.path.name, second.path.name])
    assert first.path.name < second.path.name, "names sort by time"
    stored = _stored(second.path)
    assert stored["Subject"] == "둘째"
    assert stored["From"] == "AllWork Interview <no-reply@localhost>"
    assert stored["Message-ID"] and stored["Date"]
    body = stored.get_body(preferencelist=("plain",))
    assert body is not None and "오후 1:45" in body.get_content()

    listed = outbox.items(data_dir, "mail")
    assert [item.subject for item in listed] == ["둘째", "첫째"], "newest first"
    content = outbox.read(data_dir, "mail", listed[0].name)
    assert content is not None and "김영수님" in content.text and not content.item.failed
    assert outbox.read(data_dir, "mail", "../../secret_key") is None


async def test_smtp_sends_and_keeps_a_copy(data_dir: Path) -> None:
    with smtp_server() as (port, received):
        settings = load_settings(
            data_dir=data_dir,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_starttls=False,
            mail_from="올워크 <noreply@allwork.example>",
        )
        delivery = await make_mailer(settings).send(_message())

    assert delivery.sent is True and delivery.error is None
    assert len(received.messages) == 1
    arrived = received.messages[0]
    assert arrived["Subject"] == "면접 안내" and arrived["To"] == "kim@example.kr"
    assert received.envelopes == [("noreply@allwork.example", ["kim@example.kr"])]
    body = arrived.get_body(preferencelist=("plain",))
    assert body is not None and "면접이 잡혔습니다" in body.get_content()
    # the admin's copy is the message that went out
    assert _stored(delivery.path)["Message-ID"] == arrived["Message-ID"]


async def test_refused_connection_keeps_the_message_marked_failed(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()  # nothing listens here
    mailer = Mailer(
        data_dir, "no-reply@allwork.example", SmtpServer("127.0.0.1", port, starttls=False, timeout=5)
    )
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        delivery = await mailer.send(_message())

    assert delivery.sent is False and delivery.error
    assert delivery.path.name.endswith(".eml.failed") and delivery.path.exists()
    assert not delivery.path.with_name(delivery.path.name.removesuffix(".failed")).exists()
    assert _stored(delivery.path)["Subject"] == "면접 안내"
    assert "kim@example.kr" in caplog.text and "not sent" in caplog.text and str(port) in caplog.text
    [item] = outbox.items(data_dir, "mail")
    assert item.failed and item.to == "kim@example.kr"


def test_smtp_password_never_prints(data_dir: Path) -> None:
    settings = load_settings(data_dir=data_dir, smtp_host="mail.example", smtp_password="hunter2-secret")
    assert "hunter2-secret" not in repr(settings) and "hunter2-secret" not in repr(make_mailer(settings).smtp)


def test_mail_from_must_be_an_address(data_dir: Path) -> None:
    from core.config import ConfigError

    with pytest.raises(ConfigError, match="ALLWORK_MAIL_FROM"):
        load_settings(data_dir=data_dir, mail_from="AllWork")
