"""The data folder is private: the database, recordings, transcripts, outbox mail and the key file are
personal data or secrets, readable by the server's own user only.

:func:`make_private` runs first in every ``allwork`` command: it sets the process's umask to ``077``, so
every file and folder made afterwards (SQLite's database, WAL and shared-memory files, each recording,
each outbox message) is created ``0600`` / ``0700``, and tightens what an earlier version left readable
(``0644`` files in ``0755`` folders).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def make_private(data_dir: Path) -> None:
    """Set the umask and make ``data_dir`` and everything in it readable by this user only."""
    os.umask(PRIVATE_UMASK)
    data_dir.mkdir(parents=True, exist_ok=True)
    for root, folders, files in os.walk(data_dir):
        _chmod(Path(root), FOLDER_MODE)
        for name in files:
            _chmod(Path(root) / name, FILE_MODE)
        folders[:] = [f for f in folders if not (Path(root) / f).is_symlink()]


def _chmod(path: Path, mode: int) -> None:
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode) or stat.S_IMODE(st.st_mode) == mode:
        return
    with contextlib.suppress(PermissionError):  # not ours (a mounted volume): the umask covers what we make
        path.chmod(mode)
