"""The ``allwork`` command.

``serve``, ``db upgrade``, ``demo``, ``user create`` and ``reminders run`` live here; each
domain package adds its own commands through a ``cli.register(subparsers)`` function
(transcribe, worker, feedback, match …), found in :data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import importlib
import json
import logging
import sys
from collections.abc import Sequence
from datetime import datetime

from core.config import ConfigError, Settings, load_settings
from core.datadir import make_private

COMMAND_MODULES = (
    "interview.transcribe.cli",
    "interview.practice.cli",
    "matching.cli",
)

log = logging.getLogger("allwork")


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from aiohttp import web

    from web.app import create_app
    from web.composition import upgrade

    upgrade(settings.effective_database_url)
    host = args.host or settings.host
    port = args.port or settings.port
    app = create_app(settings)
    print(f"AllWork Interview: http://{host}:{port}/", flush=True)
    web.run_app(
        app,
        host=host,
        port=port,
        print=None,
        access_log_format='%a "%r" %s %b %Tfs "%{User-Agent}i"',
        shutdown_timeout=10,
    )
    return 0


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from web.composition import upgrade

    upgrade(settings.effective_database_url)
    print("database is up to date")
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from web.composition import upgrade
    from web.demo import load_demo

    upgrade(settings.effective_database_url)
    accounts, created = asyncio.run(load_demo(settings))
    if args.json:
        print(json.dumps({"created": created, "accounts": accounts}, ensure_ascii=False))
        return 0
    print("데모 계정 (demo accounts)" + ("" if created else " — already loaded earlier"))
    for account in accounts:
        print(f"  {account['role']:<10} {account['email']:<32} {account['password']}")
    print(f"Open http://{settings.host}:{settings.port}/login")
    return 0


def _user_create(args: argparse.Namespace, settings: Settings) -> int:
    from core.accounts import create_user, validate_account
    from core.db import create_engine, session_factory
    from core.errors import AllWorkError
    from web.composition import upgrade

    password = args.password or _ask_password()
    if password is None:
        print(
            "error: no password given: pass --password, or run the command in a terminal to be asked for one",
            file=sys.stderr,
        )
        return 2
    upgrade(settings.effective_database_url)

    async def run() -> int:
        engine = create_engine(settings)
        try:
            account = validate_account(args.email, args.name, password, args.role, args.language)
            user = await create_user(session_factory(engine), account)
        except AllWorkError as exc:
            problems = "; ".join(f"{k}: {v}" for k, v in exc.fields.items()) or exc.message
            print(f"error: {problems}", file=sys.stderr)
            return 2
        finally:
            await engine.dispose()
        print(f"created {user.role.value} account {user.email} (id {user.id})")
        return 0

    return asyncio.run(run())


def _ask_password() -> str | None:
    """The password typed at the terminal, or None where there is no terminal to ask on (or it was closed)."""
    if not sys.stdin.isatty():
        return None
    try:
        return getpass.getpass("Password: ")
    except EOFError:
        return None


def _aware_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no offset; write e.g. 2026-12-03T09:00+09:00")
    return value


def _reminders_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the reminders due at ``--now`` (default: the clock) once, through the server's handlers."""
    from aiohttp import web

    from core.clock import utcnow
    from core.reminders import run_due, worker_name
    from web.app import create_app
    from web.composition import upgrade
    from web.keys import REMINDER_HANDLERS, SESSIONS

    upgrade(settings.effective_database_url)
    now: datetime = args.now or utcnow()

    async def run() -> dict[str, int]:
        # the server's app, started without its own reminder loop, so the features' handlers run
        # with the resources they have in the server
        app = create_app(settings.model_copy(update={"reminder_interval": 0}))
        runner = web.AppRunner(app)
        await runner.setup()
        try:
            handlers = app[REMINDER_HANDLERS]
            report = await run_due(app[SESSIONS], now=now, handlers=handlers, worker=worker_name("cli"))
        finally:
            await runner.cleanup()
        return report.as_dict()

    counts = asyncio.run(run())
    if args.json:
        print(json.dumps({"now": now.isoformat(), **counts}))
    else:
        print(f"reminders due by {now.isoformat()}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="allwork", description="AllWork Interview")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the web server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8080)")
    serve.set_defaults(func=_serve)

    db = sub.add_parser("db", help="database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply every migration").set_defaults(func=_db_upgrade)

    demo = sub.add_parser("demo", help="load demo data: one account per role (idempotent)")
    demo.add_argument("--json", action="store_true", help="print the accounts as JSON")
    demo.set_defaults(func=_demo)

    user = sub.add_parser("user", help="account commands")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    create = user_sub.add_parser("create", help="create an account of any role")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=["senior", "company", "coach", "scheduler", "admin"])
    create.add_argument("--password", help="asked for when not given")
    create.add_argument("--language", default="ko", choices=["ko", "en"])
    create.set_defaults(func=_user_create)

    reminders = sub.add_parser("reminders", help="messages due at a time")
    reminders_sub = reminders.add_subparsers(dest="reminders_command", required=True, metavar="ACTION")
    remind = reminders_sub.add_parser("run", help="send the reminders due now (or at --now) once")
    remind.add_argument(
        "--now", type=_aware_time, help="the time to run as, with its offset, e.g. 2026-12-03T09:00+09:00"
    )
    remind.add_argument("--json", action="store_true", help="print the counts as JSON")
    remind.set_defaults(func=_reminders_run)

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        make_private(settings.data_dir)  # umask 077; the data folder 0700 and its files 0600
        logging.basicConfig(
            level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        if settings.log_level != "DEBUG":
            logging.getLogger("alembic").setLevel(logging.WARNING)
        return int(args.func(args, settings))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
