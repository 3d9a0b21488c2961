"""Start real signaling server processes on free ports (shared by the multi-node tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.waiting import wait_until_sync

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Node:
    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/ws/signal"
        cmd = [sys.executable, "-m", "interview.signaling.standalone", "--port", str(self.port), *args]
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            wait_until_sync(self._listening, within=30, message="node did not start")
        except AssertionError:
            self.stop()
            raise

    def _listening(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"node exited: {self.proc.stdout.read().decode() if self.proc.stdout else ''}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc.stdout:
            self.proc.stdout.close()
