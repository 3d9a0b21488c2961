"""Demo data: one account per role, so a newcomer can try every role at once.

Passwords are random, printed, and kept in ``<data_dir>/demo-accounts.json`` (readable by
the owner only) so that running the command again prints the same accounts. Each domain
package may add its own demo content through a ``demo.load_demo(sessions, users)``.
"""

from __future__ import annotations

import importlib
import json
import os
import secrets
from typing import Any

from core.accounts import Role, create_user, user_by_email, validate_account
from core.config import Settings
from core.db import create_engine, session_factory

DEMO_ACCOUNTS = (
    (Role.SENIOR, "senior@demo.allwork.kr", "김영수"),
    (Role.COMPANY, "company@demo.allwork.kr", "화성정밀 인사담당 박지현"),  # the company it manages
    (Role.COACH, "coach@demo.allwork.kr", "이정숙 코치"),
    (Role.SCHEDULER, "scheduler@demo.allwork.kr", "최민호 매니저"),
    (Role.ADMIN, "admin@demo.allwork.kr", "관리자"),
)
DEMO_MODULES = ("matching.demo", "interview.practice.demo", "interview.knowhow.demo")


def _password() -> str:
    return "demo-" + secrets.token_urlsafe(9)


def _read_saved(path: os.PathLike[str]) -> dict[str, str]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return {a["email"]: a["password"] for a in data["accounts"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


async def load_demo(settings: Settings) -> tuple[list[dict[str, Any]], bool]:
    """Create the demo accounts that are missing; return them all and whether any was new."""
    path = settings.data_dir / "demo-accounts.json"
    saved = _read_saved(path)
    engine = create_engine(settings)
    sessions = session_factory(engine)
    accounts: list[dict[str, Any]] = []
    created = False
    users: dict[str, int] = {}
    try:
        for role, email, name in DEMO_ACCOUNTS:
            user = await user_by_email(sessions, email)
            password = saved.get(email) or _password()
            if user is None:
                user = await create_user(sessions, validate_account(email, name, password, role.value))
                created = True
            elif email not in saved:
                continue  # someone made this account by hand; we do not know its password
            users[role.value] = user.id
            accounts.append({"role": role.value, "email": email, "name": name, "password": password})
        for module_name in DEMO_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            await module.load_demo(sessions, users)
    finally:
        await engine.dispose()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"accounts": accounts}, fh, ensure_ascii=False, indent=2)
    os.replace(tmp, path)
    return accounts, created
