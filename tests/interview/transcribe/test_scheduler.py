from __future__ import annotations

import concurrent.futures
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from interview.transcribe.audio import SAMPLE_RATE, decode_audio
from interview.transcribe.engine import Engine
from interview.transcribe.scheduler import (
    DecodeRequest,
    Priority,
    TranscriptionScheduler,
    scheduler_for,
)
from interview.transcribe.streaming import StreamingTranscriber
from interview.transcribe.types import Transcript
from tests.waiting import wait_until

from .conftest import words_of


class Gate:
    """The scheduler's worker function for ordering tests: records each request's tag (the prompt)
    in the order decoded; the request tagged ``hold`` waits until ``release`` is set."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.release = threading.Event()
        self.holding = threading.Event()
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def __call__(self, request: DecodeRequest) -> Transcript:
        with self._lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        if request.prompt == "hold":
            self.holding.set()
            assert self.release.wait(10)
        if request.prompt == "boom":
            with self._lock:
                self.running -= 1
            raise ValueError("decode failed")
        with self._lock:
            self.order.append(request.prompt or "")
            self.running -= 1
        return Transcript(language="en", duration=request.seconds, model="gate")


def _audio(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), np.float32)


def test_final_goes_before_earlier_room_and_speculative_work() -> None:
    gate = Gate()
    sched = TranscriptionScheduler(gate, workers=1)
    first = sched.submit(_audio(1), prompt="hold", priority=Priority.ROOM)
    assert gate.holding.wait(10)
    futures = [
        sched.submit(_audio(1), prompt=tag, priority=p)
        for tag, p in [
            ("speculative", Priority.SPECULATIVE),
            ("room-1", Priority.ROOM),
            ("room-2", Priority.ROOM),
            ("practice", Priority.PRACTICE),
            ("final", Priority.FINAL),
        ]
    ]
    gate.release.set()
    for f in [first, *futures]:
        f.result(10)
    assert gate.order == ["hold", "final", "practice", "room-1", "room-2", "speculative"]
    stats = sched.stats()
    assert stats["priorities"]["room"]["decoded"] == 3 and stats["priorities"]["final"]["decoded"] == 1
    assert stats["pending"] == 0 and stats["running"] == 0
    sched.close()


def test_a_guess_waits_while_another_decode_runs() -> None:
    gate = Gate()
    sched = TranscriptionScheduler(gate, workers=2)
    held = sched.submit(_audio(1), prompt="hold", priority=Priority.PRACTICE)
    assert gate.holding.wait(10)
    guess = sched.submit(_audio(1), prompt="guess", priority=Priority.SPECULATIVE)
    assert sched.busy()
    # a second worker is free, yet the guess must not slow the decode that runs
    assert not guess.done() and gate.order == []
    gate.release.set()
    held.result(10)
    guess.result(10)
    assert gate.order == ["hold", "guess"] and gate.most_at_once == 1
    assert not sched.busy()
    sched.close()


def test_two_workers_decode_two_requests_at_once() -> None:
    gate = Gate()
    sched = TranscriptionScheduler(gate, workers=2)
    held = sched.submit(_audio(1), prompt="hold", priority=Priority.ROOM)
    assert gate.holding.wait(10)
    other = sched.submit(_audio(1), prompt="other", priority=Priority.FINAL)
    other.result(10)  # done while the first is still held
    assert gate.order == ["other"]
    gate.release.set()
    held.result(10)
    sched.close()


def test_backlog_counts_pending_audio_but_not_guesses() -> None:
    gate = Gate()
    sched = TranscriptionScheduler(gate, workers=1, rtf=0.5)
    held = sched.submit(_audio(1), prompt="hold", priority=Priority.ROOM)
    assert gate.holding.wait(10)
    later = [
        sched.submit(_audio(10), prompt="a", priority=Priority.PRACTICE),
        sched.submit(_audio(6), prompt="b", priority=Priority.ROOM),
        sched.submit(_audio(20), prompt="c", priority=Priority.SPECULATIVE),
    ]
    # 16 s pending x 0.5, plus at most what is left of the held 1 s decode
    assert 8.0 <= sched.backlog_seconds() <= 8.5
    stats = sched.stats()
    assert stats["priorities"]["speculative"]["pending_audio_s"] == 20.0
    assert stats["pending"] == 3 and stats["running"] == 1
    gate.release.set()
    for f in [held, *later]:
        f.result(10)
    assert sched.backlog_seconds() == 0.0
    sched.close()


def test_cancelled_requests_are_dropped_and_failures_reach_the_caller() -> None:
    gate = Gate()
    sched = TranscriptionScheduler(gate, workers=1)
    held = sched.submit(_audio(1), prompt="hold")
    assert gate.holding.wait(10)
    dropped = sched.submit(_audio(1), prompt="dropped")
    failing = sched.submit(_audio(1), prompt="boom")
    assert dropped.cancel()
    gate.release.set()
    held.result(10)
    with pytest.raises(ValueError, match="decode failed"):
        failing.result(10)
    assert "dropped" not in gate.order
    assert sched.stats()["priorities"]["practice"]["failed"] == 1
    sched.close()
    with pytest.raises(RuntimeError):
        sched.submit(_audio(1))


def test_bad_worker_count() -> None:
    with pytest.raises(ValueError):
        TranscriptionScheduler(Gate(), workers=0)


@pytest.mark.slow
def test_real_engine_decodes_a_final_answer_before_queued_room_work(tiny_engine: Engine, jfk: Path) -> None:
    """With the real model: while a room utterance is decoded, more room utterances and a guess are
    queued, then a practice answer's end; the answer's end is decoded next and has the words spoken."""
    samples = decode_audio(jfk)
    sched = TranscriptionScheduler.for_engine(tiny_engine, workers=1)
    done: list[str] = []
    lock = threading.Lock()

    def submit(tag: str, priority: Priority) -> concurrent.futures.Future[Transcript]:
        f = sched.submit(samples, language="en", priority=priority)

        def record(_f: concurrent.futures.Future[Transcript]) -> None:
            with lock:
                done.append(tag)

        f.add_done_callback(record)
        return f

    first = submit("room-0", Priority.ROOM)
    wait_until_sync(lambda: sched.stats()["running"] == 1)
    room = [submit(f"room-{i}", Priority.ROOM) for i in (1, 2)]
    guess = submit("guess", Priority.SPECULATIVE)
    final = submit("final", Priority.FINAL)
    transcript = final.result(120)
    for f in [first, *room, guess]:
        f.result(120)
    assert done == ["room-0", "final", "room-1", "room-2", "guess"]
    assert {"country", "americans", "fellow"} <= words_of(transcript.text)
    stats = sched.stats()
    assert stats["priorities"]["final"]["max_wait_s"] < stats["priorities"]["room"]["max_wait_s"]
    assert 0 < stats["rtf"] < 2
    sched.close()


def wait_until_sync(condition: Callable[[], bool], within: float = 30) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


@pytest.mark.slow
async def test_streaming_transcribers_share_the_process_scheduler(tiny_engine: Engine, jfk: Path) -> None:
    """Every transcriber of one engine uses the one scheduler; a practice answer's end is FINAL work
    and a room's is ROOM work, decoded by the real model."""
    sched = scheduler_for(tiny_engine)
    before = sched.stats()["priorities"]
    practice = StreamingTranscriber(tiny_engine, language="en", speculate=False)
    room = StreamingTranscriber(tiny_engine, language="en", speculate=False, priority=Priority.ROOM)
    assert practice.scheduler is room.scheduler is sched
    samples = decode_audio(jfk)
    practice.feed(samples)
    room.feed(samples)
    tp, tr = await practice.finish(), await room.finish()
    assert {"country", "americans"} <= words_of(tp.text) and {"country", "americans"} <= words_of(tr.text)
    await wait_until(lambda: sched.stats()["running"] == 0, within=10, message="scheduler still busy")
    after = sched.stats()["priorities"]
    assert after["final"]["decoded"] > before["final"]["decoded"]
    assert after["room"]["decoded"] > before["room"]["decoded"]
    with pytest.raises(ValueError):
        StreamingTranscriber(tiny_engine, priority=Priority.FINAL)
