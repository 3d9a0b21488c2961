"""Decoding any recording FFmpeg reads (through PyAV) into 16 kHz mono float32 samples.

Bad input is named precisely, because the person who uploaded it must learn what to do:
no file, an empty file, something that is not a recording, a video without sound, a
damaged or cut-short file, or one longer than the configured maximum. Each is an
:class:`~interview.transcribe.errors.AudioError` naming the file and the reason.

A damaged file often decodes without an FFmpeg error (the decoder skips bad frames),
so the decoded length is compared with the length the container declares; WAV files,
whose length FFmpeg derives from the file size, are checked against their RIFF header.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import av
import numpy as np

from interview.transcribe.errors import (
    AudioNotFound,
    AudioTooLong,
    CorruptAudio,
    EmptyAudio,
    NoAudioStream,
    NotAudio,
    TruncatedAudio,
)

SAMPLE_RATE = 16000
#: decoded audio may fall short of the declared length by this much before it counts as cut short
_SHORTFALL_TOLERANCE_S = 0.25
_SHORTFALL_TOLERANCE_RATIO = 0.03


def decode_audio(path: str | os.PathLike[str], *, max_seconds: float | None = None) -> np.ndarray:
    """The first audio stream of ``path`` as float32 mono samples at :data:`SAMPLE_RATE`.

    Raises an :class:`~interview.transcribe.errors.AudioError` subclass for bad input.
    """
    p = Path(path)
    if not p.is_file():
        raise AudioNotFound(p)
    if p.stat().st_size == 0:
        raise EmptyAudio(p)
    try:
        container = av.open(str(p), mode="r", metadata_errors="ignore")
    except av.error.InvalidDataError:
        raise NotAudio(p) from None
    except av.error.FFmpegError as exc:
        raise CorruptAudio(p) from exc
    with container:
        if not container.streams.audio:
            raise NoAudioStream(p)
        stream = container.streams.audio[0]
        declared = _declared_seconds(container, stream)
        if max_seconds is not None and declared is not None and declared > max_seconds + 0.5:
            raise AudioTooLong(p, limit=_fmt(max_seconds))
        samples, errors, last_time = _decode_stream(p, container, stream, max_seconds)
    got = len(samples) / SAMPLE_RATE
    if len(samples) == 0:
        if errors:
            raise CorruptAudio(p)
        raise EmptyAudio(p)
    expected = _riff_declared_seconds(p) if container.format.name == "wav" else declared
    if expected is not None:
        tolerance = max(_SHORTFALL_TOLERANCE_S, _SHORTFALL_TOLERANCE_RATIO * expected)
        if got < expected - tolerance:
            # frames that reach the declared end with gaps inside: damaged; frames that stop early: cut short
            if last_time is not None and last_time >= expected - tolerance:
                raise CorruptAudio(p)
            raise TruncatedAudio(p, expected=_fmt(expected), got=_fmt(got))
    if not np.any(samples):
        raise EmptyAudio(p)
    return samples


def to_float32(pcm: np.ndarray) -> np.ndarray:
    """Mono PCM as float32 in [-1, 1]: int16 is scaled, float arrays are cast."""
    arr = np.asarray(pcm)
    if arr.ndim != 1:
        arr = arr.reshape(-1)
    if arr.dtype == np.int16:
        return arr.astype(np.float32) / 32768.0
    if arr.dtype == np.float32:
        return arr
    if np.issubdtype(arr.dtype, np.floating):
        return arr.astype(np.float32)
    raise TypeError(f"PCM must be int16 or float, not {arr.dtype}")


def _decode_stream(
    p: Path, container: av.container.InputContainer, stream: av.AudioStream, max_seconds: float | None
) -> tuple[np.ndarray, int, float | None]:
    """The resampled samples, the number of undecodable packets and the end time of the last frame."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    limit = None if max_seconds is None else int((max_seconds + 0.5) * SAMPLE_RATE)
    parts: list[np.ndarray] = []
    total = 0
    errors = 0
    last_time: float | None = None
    frames = container.decode(stream)
    while True:
        try:
            frame = next(frames)
        except StopIteration:
            break
        except av.error.InvalidDataError:
            errors += 1
            if errors > 100:
                raise CorruptAudio(p) from None
            continue
        except av.error.FFmpegError as exc:
            raise CorruptAudio(p) from exc
        if frame.time is not None and frame.sample_rate:
            end = frame.time + frame.samples / frame.sample_rate
            last_time = end if last_time is None else max(last_time, end)
        frame.pts = None  # resample by sample count, not by (possibly broken) timestamps
        for out in resampler.resample(frame):
            arr = out.to_ndarray().reshape(-1)
            parts.append(arr)
            total += len(arr)
        if limit is not None and total > limit:
            raise AudioTooLong(p, limit=_fmt(max_seconds or 0))
    for out in resampler.resample(None):
        parts.append(out.to_ndarray().reshape(-1))
    samples = np.concatenate(parts).astype(np.float32, copy=False) if parts else np.zeros(0, np.float32)
    return samples, errors, last_time


def _declared_seconds(container: av.container.InputContainer, stream: av.AudioStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _riff_declared_seconds(p: Path) -> float | None:
    """The length a WAV file's header promises (FFmpeg trusts the file size instead)."""
    try:
        with p.open("rb") as fh:
            head = fh.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            byte_rate = 0
            while True:
                chunk = fh.read(8)
                if len(chunk) < 8:
                    return None
                cid, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
                if cid == b"fmt ":
                    fmt = fh.read(size)
                    byte_rate = struct.unpack("<I", fmt[8:12])[0] if len(fmt) >= 12 else 0
                    if size % 2:
                        fh.seek(1, os.SEEK_CUR)
                elif cid == b"data":
                    if not byte_rate or size in (0, 0xFFFFFFFF):  # streaming writers leave 0 or -1
                        return None
                    return size / byte_rate
                else:
                    fh.seek(size + (size % 2), os.SEEK_CUR)
    except OSError:
        return None


def _fmt(seconds: float) -> str:
    return f"{seconds:.1f}".rstrip("0").rstrip(".")
