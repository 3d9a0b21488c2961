"""The outbox: every outgoing e-mail and text message, kept as a file in the data folder.

``<data dir>/outbox/mail/*.eml`` and ``<data dir>/outbox/sms/*.json``. It is the embedded
default sender (one machine needs no mail server) and, with a real sender configured, the copy
an admin reads to see what was sent. A file's name sorts by time
(``20261203T044500123456Z-<uuid>.eml``); a mail that SMTP refused is renamed ``….eml.failed``.

Files are written atomically (a temporary file, then a rename), so a reader never sees half a
message. Everything here is synchronous file I/O: call it with :func:`asyncio.to_thread`.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Literal

from core.clock import utcnow

Kind = Literal["mail", "sms"]
KINDS: tuple[Kind, ...] = ("mail", "sms")
SUFFIXES: dict[Kind, str] = {"mail": ".eml", "sms": ".json"}
FAILED = ".failed"
_NAME = re.compile(r"^(\d{8}T\d{12}Z)-[0-9a-f]{32}\.(eml|json)(\.failed)?$")


def folder(data_dir: Path, kind: Kind) -> Path:
    """The outbox folder of one kind of message."""
    return data_dir / "outbox" / kind


def new_name(kind: Kind) -> str:
    """A unique file name that sorts by creation time (UTC, microseconds), then at random."""
    return f"{utcnow():%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex}{SUFFIXES[kind]}"


def write(data_dir: Path, kind: Kind, data: bytes) -> Path:
    """Store one message under a new name, atomically; return its path."""
    target_dir = folder(data_dir, kind)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / new_name(kind)
    fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def mark_failed(path: Path) -> Path:
    """Rename a stored message ``….failed`` (a send that did not go through); return the new path."""
    failed = path.with_name(path.name + FAILED)
    os.replace(path, failed)
    return failed


@dataclass(frozen=True)
class Item:
    """One stored message, as the admin's outbox page lists it."""

    kind: Kind
    name: str
    created_at: datetime
    to: str
    subject: str
    failed: bool


@dataclass(frozen=True)
class Content:
    """One stored message in full: its list entry, the readable text, and what is attached."""

    item: Item
    text: str
    attachments: list[str]


def _created(name: str) -> datetime:
    match = _NAME.match(name)
    assert match is not None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)


def _parse_mail(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def _item(kind: Kind, path: Path, data: bytes) -> tuple[Item, EmailMessage | dict[str, str]]:
    failed = path.name.endswith(FAILED)
    if kind == "mail":
        message = _parse_mail(data)
        item = Item(
            kind,
            path.name,
            _created(path.name),
            str(message["To"] or ""),
            str(message["Subject"] or ""),
            failed,
        )
        return item, message
    record = json.loads(data)
    item = Item(kind, path.name, _created(path.name), str(record.get("to", "")), "", failed)
    return item, record


def items(data_dir: Path, kind: Kind, limit: int = 100) -> list[Item]:
    """The newest ``limit`` stored messages of one kind, newest first."""
    base = folder(data_dir, kind)
    if not base.is_dir():
        return []
    names = sorted((p.name for p in base.iterdir() if _NAME.match(p.name)), reverse=True)[:limit]
    found = []
    for name in names:
        try:
            found.append(_item(kind, base / name, (base / name).read_bytes())[0])
        except (OSError, ValueError):  # removed meanwhile, or not a message: skip it
            continue
    return found


def read(data_dir: Path, kind: Kind, name: str) -> Content | None:
    """One stored message by its file name; None for a name that is not an outbox file or is gone."""
    if kind not in KINDS or not _NAME.match(name) or not name.split(FAILED)[0].endswith(SUFFIXES[kind]):
        return None
    path = folder(data_dir, kind) / name
    try:
        data = path.read_bytes()
    except OSError:
        return None
    item, parsed = _item(kind, path, data)
    if isinstance(parsed, EmailMessage):
        body = parsed.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if isinstance(body, EmailMessage) else ""
        names = [part.get_filename() or part.get_content_type() for part in parsed.iter_attachments()]
        return Content(item, str(text), [str(n) for n in names])
    return Content(item, str(parsed.get("text", "")), [])
