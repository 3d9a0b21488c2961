"""One playable file per answer: the kept audio and the camera's pictures in WebM, both from zero.

aiortc's ``MediaRecorder`` was the wrong tool here: it writes each frame with the pts the track
gave it, which counts from the start of the *connection* (a second answer began ~141 s into its
file and reported a 179 s length), and it took only the video track, so the file had no sound.
:class:`TakeWriter` instead writes

- the audio the recorder keeps for the answer (16 kHz mono, the very samples of the WAV that the
  transcript's word times refer to) as Opus, with pts counted in samples from 0, and
- the camera frames as VP8, each placed by its RTP time relative to the first frame, offset by
  when that first frame arrived after the first kept audio sample (re-anchored to the arrival
  clock if the sender's clock jumps),

so a word said at 7.2 s in the transcript is heard and seen at 7.2 s in the file. Encoding runs
in one thread per answer (VP8 is too slow for the event loop); the event loop only queues
frames. The file is written as ``<name>.part`` and renamed when complete, so a half-written file
is never served. A camera that sends no picture within :data:`VIDEO_WAIT_S` of the audio gives an
audio-only WebM (still playable).
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import logging
import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
#: the longest side of the stored picture (phones send up to 1280x720; this is enough to see a face)
MAX_WIDTH = 640
#: video frames waiting for the encoder beyond this are dropped (audio never is)
MAX_PENDING_FRAMES = 45
#: audio buffered while waiting for the first picture; after this much the file is audio-only
VIDEO_WAIT_S = 2.0
#: a frame whose RTP time is this far from its arrival time re-anchors the video clock
RESYNC_S = 1.0
MS = fractions.Fraction(1, 1000)
AUDIO_TB = fractions.Fraction(1, SAMPLE_RATE)


@dataclass(frozen=True)
class _Audio:
    pcm: np.ndarray
    pts: int  #: in samples from the start of the answer


@dataclass(frozen=True)
class _Video:
    frame: av.VideoFrame
    ms: int  #: milliseconds from the start of the answer


_CLOSE = object()
_DISCARD = object()


def _even(n: float) -> int:
    return max(2, int(n) // 2 * 2)


class TakeWriter:
    """Writes one answer's WebM (Opus audio + VP8 video) in a thread; feed it from the event loop."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.part = path.with_name(path.name + ".part")
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._samples = 0
        self._audio_anchor: float | None = None  #: arrival time of the first kept audio sample
        self._video_base: tuple[float, float] | None = None  #: (first frame's RTP seconds, its offset)
        self._last_ms = -1
        self._pending_frames = 0
        self._lock = threading.Lock()
        self.frames_written = 0
        self.frames_dropped = 0
        self.error: BaseException | None = None
        self.written = False  #: the file is complete and in place
        self._thread = threading.Thread(target=self._run, name=f"take-writer {path.name}", daemon=True)
        self._thread.start()

    # --- the event loop's side -------------------------------------------------------------------
    def add_audio(self, pcm: np.ndarray, arrived: float) -> None:
        """Kept audio, 16 kHz mono int16, in order and without gaps (exactly what the WAV holds)."""
        if self._audio_anchor is None:
            self._audio_anchor = arrived - self._samples / SAMPLE_RATE
        self._queue.put(_Audio(pcm, self._samples))
        self._samples += len(pcm)

    def add_video(self, frame: av.VideoFrame, arrived: float) -> None:
        """A camera frame as it arrived (its pts from the track); placed on the audio's timeline."""
        if self._audio_anchor is None:
            return  # the answer's time starts with its first kept audio sample
        offset = arrived - self._audio_anchor
        rtp = float(frame.pts * frame.time_base) if frame.pts is not None and frame.time_base else None
        if rtp is None:
            at = offset
        else:
            if self._video_base is None:
                self._video_base = (rtp, offset)
            at = self._video_base[1] + rtp - self._video_base[0]
            if abs(at - offset) > RESYNC_S:  # the sender's clock jumped (or wrapped): start again
                log.info("%s: video clock re-anchored (%.2f s off)", self.path.name, at - offset)
                self._video_base = (rtp, offset)
                at = offset
        ms = round(at * 1000)
        if ms <= self._last_ms or ms < 0:
            return
        with self._lock:
            if self._pending_frames >= MAX_PENDING_FRAMES:
                self.frames_dropped += 1
                return
            self._pending_frames += 1
        self._last_ms = ms
        self._queue.put(_Video(frame, ms))

    @property
    def seconds(self) -> float:
        """Audio kept so far."""
        return self._samples / SAMPLE_RATE

    async def close(self) -> bool:
        """Finish the file (in the thread); True when it was written and renamed into place."""
        self._queue.put(_CLOSE)
        await asyncio.to_thread(self._thread.join)
        return self.written

    async def discard(self) -> None:
        """Stop and leave no file behind (an abandoned answer)."""
        self._queue.put(_DISCARD)
        await asyncio.to_thread(self._thread.join)

    # --- the writer thread -----------------------------------------------------------------------
    def _run(self) -> None:
        out: _Output | None = None
        waiting: list[_Audio] = []
        keep = False
        try:
            while True:
                item = self._queue.get()
                if item is _CLOSE:
                    keep = True
                    break
                if item is _DISCARD:
                    break
                if isinstance(item, _Video):
                    with self._lock:
                        self._pending_frames -= 1
                    if out is None:
                        out = _Output(self.part, item.frame)
                        for a in waiting:
                            out.audio(a)
                        waiting.clear()
                    if out.has_video:
                        out.video(item)
                        self.frames_written += 1
                elif isinstance(item, _Audio):
                    if out is not None:
                        out.audio(item)
                    else:
                        waiting.append(item)
                        if item.pts / SAMPLE_RATE >= VIDEO_WAIT_S:
                            log.info("%s: no picture from the camera; audio only", self.path.name)
                            out = _Output(self.part, None)
                            for a in waiting:
                                out.audio(a)
                            waiting.clear()
            if keep and out is None and waiting:
                out = _Output(self.part, None)
                for a in waiting:
                    out.audio(a)
            if out is not None:
                out.close()
                out = None
                if keep:
                    os.replace(self.part, self.path)
                    self.written = True
        except BaseException as exc:  # the recorder logs it and keeps the WAV
            self.error = exc
            log.exception("%s: could not write the answer's video", self.path.name)
        finally:
            if out is not None:
                out.abort()
            if not keep or self.error is not None:
                self.part.unlink(missing_ok=True)


class _Output:
    """The container and its encoders (used only by the writer thread)."""

    def __init__(self, path: Path, first: av.VideoFrame | None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.container: av.container.OutputContainer | None = av.open(str(path), mode="w", format="webm")
        self.width = self.height = 0
        self.vstream: Any = None
        if first is not None:
            scale = min(1.0, MAX_WIDTH / max(first.width, 1))
            self.width, self.height = _even(first.width * scale), _even(first.height * scale)
            v = self.container.add_stream(
                "libvpx", rate=30, options={"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0"}
            )
            v.width, v.height, v.pix_fmt = self.width, self.height, "yuv420p"
            v.bit_rate = 700_000
            v.codec_context.time_base = MS
            v.codec_context.gop_size = 60  # a key frame every two seconds or so: seeking stays quick
            self.vstream = v
        self.astream: Any = self.container.add_stream("libopus", rate=SAMPLE_RATE, layout="mono")
        self.astream.bit_rate = 32_000

    @property
    def has_video(self) -> bool:
        return self.vstream is not None

    def audio(self, item: _Audio) -> None:
        assert self.container is not None
        frame = av.AudioFrame.from_ndarray(item.pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = item.pts
        frame.time_base = AUDIO_TB
        self.container.mux(self.astream.encode(frame))

    def video(self, item: _Video) -> None:
        assert self.container is not None
        frame = item.frame.reformat(width=self.width, height=self.height, format="yuv420p")
        frame.pts = item.ms
        frame.time_base = MS
        self.container.mux(self.vstream.encode(frame))

    def close(self) -> None:
        assert self.container is not None
        self.container.mux(self.astream.encode(None))
        if self.vstream is not None:
            self.container.mux(self.vstream.encode(None))
        self.container.close()
        self.container = None

    def abort(self) -> None:
        if self.container is not None:
            with contextlib.suppress(Exception):  # already failing; the part file is removed next
                self.container.close()
            self.container = None


# --- answers recorded before this writer --------------------------------------------------------------
def ensure_sound(webm: Path, wav: Path) -> bool:
    """Make an answer's WebM from aiortc's MediaRecorder playable; True when the file was rewritten.

    Those files had pictures only, time-stamped from the start of the connection (one began at
    141 s). A file that already has an audio stream is left alone. Otherwise the video packets are
    copied with their times moved to start at zero (the recorder queued frames from the answer's
    start, as it kept audio) and the answer's WAV is added as Opus; the new file replaces the old
    one atomically. Synchronous: call it in a worker thread.
    """
    with av.open(str(webm)) as source:
        if source.streams.audio or not source.streams.video:
            return False
        packets = [p for p in source.demux(source.streams.video[0]) if p.pts is not None and p.size]
        if not packets:
            return False
        part = webm.with_name(webm.name + ".part")
        first = min(int(p.pts) for p in packets if p.pts is not None)
        with av.open(str(wav)) as sound:
            pcm = np.concatenate([f.to_ndarray().reshape(-1) for f in sound.decode(audio=0)])
        try:
            with av.open(str(part), mode="w", format="webm") as out:
                vstream = out.add_stream_from_template(source.streams.video[0])
                astream: Any = out.add_stream("libopus", rate=SAMPLE_RATE, layout="mono")
                timed: list[tuple[float, int, Any]] = []
                for p in packets:
                    assert p.pts is not None and p.time_base is not None
                    p.pts -= first
                    p.dts = p.pts if p.dts is None else p.dts - first
                    p.stream = vstream
                    timed.append((float(p.pts * p.time_base), 0, p))
                for i in range(0, len(pcm), 960):
                    frame = av.AudioFrame.from_ndarray(
                        pcm[i : i + 960].astype(np.int16).reshape(1, -1), format="s16", layout="mono"
                    )
                    frame.sample_rate, frame.pts, frame.time_base = SAMPLE_RATE, i, AUDIO_TB
                    timed += [(float((q.pts or 0) * q.time_base), 1, q) for q in astream.encode(frame)]
                timed += [(float((q.pts or 0) * q.time_base), 1, q) for q in astream.encode(None)]
                timed.sort(key=lambda item: (item[0], item[1]))
                for _t, _kind, packet in timed:
                    out.mux(packet)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    os.replace(part, webm)
    log.info("%s: old answer video given its sound and started at zero", webm.name)
    return True


class OldVideos:
    """Per process: each answer video is checked (:func:`ensure_sound`) once, before it is first served."""

    def __init__(self) -> None:
        self._checked: set[Path] = set()
        self._lock = asyncio.Lock()

    async def ensure(self, webm: Path, wav: Path) -> None:
        if webm in self._checked:
            return
        async with self._lock:
            if webm in self._checked:
                return
            try:
                await asyncio.to_thread(ensure_sound, webm, wav)
            except Exception:  # the old file is served as it is
                log.exception("%s: could not give the old answer video its sound", webm.name)
            self._checked.add(webm)
