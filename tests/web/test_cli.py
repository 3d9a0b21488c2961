"""The ``allwork`` command run as a person or a script would (issue 15, defect 13)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _allwork(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLWORK_")}
    env["ALLWORK_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,  # no terminal, as in a script or a cron job
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_user_create_without_password_or_terminal_says_what_to_do(data_dir: Path) -> None:
    done = _allwork(
        data_dir, "user", "create", "--email", "c@example.com", "--name", "이정숙", "--role", "coach"
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "--password" in done.stderr and "terminal" in done.stderr
    assert not (data_dir / "allwork.db").exists()  # nothing was created


def test_user_create_with_password_creates_the_account(data_dir: Path) -> None:
    done = _allwork(
        data_dir,
        "user",
        "create",
        "--email",
        "c@example.com",
        "--name",
        "이정숙",
        "--role",
        "coach",
        "--password",
        "coach-pass-12",
    )
    assert done.returncode == 0, done.stderr
    assert "created coach account c@example.com" in done.stdout


def test_every_file_the_commands_make_is_private(tmp_path: Path) -> None:
    """`allwork demo` makes the database, its WAL files and the demo accounts: none readable by
    others (issue 15, defect 12)."""
    data_dir = tmp_path / "fresh"
    done = _allwork(data_dir, "demo", "--json")
    assert done.returncode == 0, done.stderr
    made = [data_dir, *data_dir.rglob("*")]
    assert any(p.name == "allwork.db" for p in made)
    for path in made:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"
