"""The data folder is private (issue 15, defect 12)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.datadir import make_private


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def restore_umask() -> Iterator[None]:
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


def test_an_old_world_readable_folder_is_tightened_and_new_files_are_private(
    tmp_path: Path, restore_umask: None
) -> None:
    os.umask(0o022)
    data = tmp_path / "data"
    (data / "recordings" / "7").mkdir(parents=True)
    (data / "allwork.db").write_bytes(b"x")
    (data / "recordings" / "7" / "take.wav").write_bytes(b"x")
    assert _mode(data) == 0o755 and _mode(data / "allwork.db") == 0o644  # as an earlier version left it
    make_private(data)
    for path in [data, *data.rglob("*")]:
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
    (data / "recordings" / "8").mkdir()
    (data / "recordings" / "8" / "new.wav").write_bytes(b"x")
    assert _mode(data / "recordings" / "8") == 0o700 and _mode(data / "recordings" / "8" / "new.wav") == 0o600
