"""Where practice recordings live on disk, and deleting them.

Every file of a senior sits under ``<data_dir>/recordings/<senior id>/practice/<session id>/``;
the database keeps paths relative to the data folder, so the folder can move. Deleting a
take, a session or everything removes the files; a file name never comes from the browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import shutil
import wave
from collections.abc import Iterable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

RECORDINGS = "recordings"
SAMPLE_RATE = 16000


class Storage:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir).resolve()

    def senior_dir(self, senior_id: int) -> Path:
        return self.data_dir / RECORDINGS / str(int(senior_id)) / "practice"

    def session_dir(self, senior_id: int, session_id: int) -> Path:
        return self.senior_dir(senior_id) / str(int(session_id))

    def new_take_files(self, senior_id: int, session_id: int, index: int, attempt: int) -> tuple[str, str]:
        """Relative paths for a new take's audio (WAV) and video (WebM); an unguessable suffix."""
        stem = f"q{int(index) + 1:02d}-try{int(attempt)}-{secrets.token_hex(6)}"
        folder = self.session_dir(senior_id, session_id).relative_to(self.data_dir)
        return str(folder / f"{stem}.wav"), str(folder / f"{stem}.webm")

    def path(self, relative: str) -> Path:
        """The absolute path of a stored file; refuses anything outside the recordings folder.

        Pure string work (no file system call), so it is safe on the event loop."""
        full = Path(os.path.normpath(self.data_dir / relative))
        if not full.is_relative_to(self.data_dir / RECORDINGS):
            raise ValueError(f"not a recording path: {relative}")
        return full

    def remove(self, relatives: Iterable[str | None]) -> int:
        """Delete the files (missing ones are fine); returns how many were removed."""
        removed = 0
        for rel in relatives:
            if not rel:
                continue
            try:
                self.path(rel).unlink()
                removed += 1
            except FileNotFoundError:
                pass
            except (OSError, ValueError):
                log.exception("could not delete recording %s", rel)
        return removed

    def remove_tree(self, folder: Path) -> None:
        folder = Path(os.path.normpath(folder))
        if folder.is_relative_to(self.data_dir / RECORDINGS) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)

    async def aremove(self, relatives: Iterable[str | None], *folders: Path) -> int:
        """:meth:`remove` (and :meth:`remove_tree` of ``folders``) in a worker thread."""
        files = list(relatives)

        def work() -> int:
            n = self.remove(files)
            for folder in folders:
                self.remove_tree(folder)
            return n

        return await asyncio.to_thread(work)

    async def aexists(self, relative: str | None) -> bool:
        return await asyncio.to_thread(self.exists, relative)

    def write_wav(self, relative: str, pcm: np.ndarray) -> Path:
        """Write 16 kHz mono int16 PCM as a WAV file (synchronous: call it in a worker thread)."""
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        with wave.open(str(tmp), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(np.asarray(pcm, dtype=np.int16).tobytes())
        os.replace(tmp, path)
        return path

    def exists(self, relative: str | None) -> bool:
        if not relative:
            return False
        with contextlib.suppress(ValueError):
            return self.path(relative).is_file()
        return False
