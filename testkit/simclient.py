"""A simulated senior for tests and the benchmark: an aiortc client that speaks recorded audio.

:class:`SpeechTrack` is a microphone that sends 20 ms Opus-ready frames in real time: silence
until :meth:`SpeechTrack.say` queues a recording, then that recording, then silence again. So a
test decides exactly when speech starts (after the answer's start marker) and learns when the
last sample has gone out (:meth:`SpeechTrack.wait_spoken`).
"""

from __future__ import annotations

import asyncio
import fractions
import time
from pathlib import Path

import av
import numpy as np
from aiortc import MediaStreamTrack, RTCPeerConnection

RATE = 48000
FRAME = 960  # 20 ms


def load_pcm48(path: str | Path) -> np.ndarray:
    """Any audio file as 48 kHz mono int16 samples."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    parts: list[np.ndarray] = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            frame.pts = None
            parts += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    parts += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(parts).astype(np.int16) if parts else np.zeros(0, np.int16)


class SpeechTrack(MediaStreamTrack):
    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._pending = np.zeros(0, np.int16)
        self._start: float | None = None
        self._pts = 0
        self._spoken = asyncio.Event()
        self._spoken.set()
        self.last_sample_sent: float | None = None  #: monotonic time the last queued sample went out

    def say(self, pcm48: np.ndarray) -> None:
        self._pending = np.concatenate([self._pending, pcm48.astype(np.int16)])
        self._spoken.clear()

    async def wait_spoken(self) -> None:
        await self._spoken.wait()

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            from aiortc.mediastreams import MediaStreamError

            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        due = self._start + self._pts / RATE
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        chunk = self._pending[:FRAME]
        self._pending = self._pending[FRAME:]
        if len(chunk) < FRAME:
            if len(chunk) or not self._spoken.is_set():
                self.last_sample_sent = time.monotonic()
                self._spoken.set()
            chunk = np.concatenate([chunk, np.zeros(FRAME - len(chunk), np.int16)])
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        frame.pts = self._pts
        frame.time_base = fractions.Fraction(1, RATE)
        self._pts += FRAME
        return frame


async def offer_with(track: SpeechTrack) -> tuple[RTCPeerConnection, str]:
    """A client peer sending ``track``; returns it and its offer (ICE gathered)."""
    pc = RTCPeerConnection()
    pc.addTrack(track)
    await pc.setLocalDescription(await pc.createOffer())
    return pc, str(pc.localDescription.sdp)


async def wait_until(check: object, deadline_s: float, step: float = 0.05) -> bool:
    """Poll ``check()`` (sync or async) until it is true or the deadline passes."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        value = check()  # type: ignore[operator]
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return True
        await asyncio.sleep(step)
    return False
