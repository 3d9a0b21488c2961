"""One transcription scheduler per process (per loaded engine), shared by every streaming transcriber.

Streaming transcribers (a practice answer's, each participant's of a recorded interview room) do not
call the engine themselves: they :meth:`~TranscriptionScheduler.submit` a decode request (audio,
language, prompt, priority) and wait on the future it returns. The scheduler's worker threads take the
most urgent request first:

``FINAL``        end-of-answer work of a practice answer: the senior is waiting for the feedback;
``PRACTICE``     an utterance cut at a pause while a practice answer goes on;
``ROOM``         an interview room's recording: its transcript may wait;
``SPECULATIVE``  a guess at a pause (:mod:`~interview.transcribe.streaming`): started only when
                 nothing else is pending and no other decode runs, so it never delays real work.

Within a priority, requests are taken in the order they came. A decode that has started is not
interrupted: a ``FINAL`` request submitted while a room's utterance is being decoded waits for that
one decode at most (one utterance, 2-3 s on two cores), never for the room's queue.

Batching pending requests into one CTranslate2 call was measured on the 2-core CPU and did not pay
(``bench/bench_batching.py``, docs/benchmarks-transcription.md): the same audio seconds took as long
batched as one after another, and every request of a batch waited for the whole batch. So the
scheduler decodes one request at a time per worker; it has ``workers`` threads (the engine's
``num_workers``, CTranslate2's inter-op replicas).

For admission control, :meth:`~TranscriptionScheduler.backlog_seconds` estimates the seconds of decode
work pending (audio seconds pending times the measured real-time factor, over the workers), and
:meth:`~TranscriptionScheduler.stats` gives counts and waits per priority.
"""

from __future__ import annotations

import concurrent.futures
import enum
import heapq
import itertools
import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from interview.transcribe.audio import SAMPLE_RATE
from interview.transcribe.engine import Engine
from interview.transcribe.types import Transcript

log = logging.getLogger(__name__)

#: seconds of decoding per second of audio before the first decode is measured: a 10 s utterance
#: with the base model (int8) on two cores, decoded one at a time (bench/bench_batching.py)
DEFAULT_RTF = 0.25
#: weight of the newest decode in the running real-time factor
RTF_WEIGHT = 0.2


class Priority(enum.IntEnum):
    """Lower is more urgent."""

    FINAL = 0
    PRACTICE = 1
    ROOM = 2
    SPECULATIVE = 3


@dataclass(frozen=True, slots=True)
class DecodeRequest:
    audio: np.ndarray  # 16 kHz mono float32
    language: str | None
    prompt: str | None
    priority: Priority

    @property
    def seconds(self) -> float:
        return len(self.audio) / SAMPLE_RATE


DecodeFn = Callable[[DecodeRequest], Transcript]


@dataclass(slots=True)
class _Item:
    request: DecodeRequest
    future: concurrent.futures.Future[Transcript]
    submitted: float


@dataclass(slots=True)
class _PriorityStats:
    decoded: int = 0
    failed: int = 0
    audio_s: float = 0.0
    decode_s: float = 0.0
    wait_s: float = 0.0
    max_wait_s: float = 0.0


@dataclass(slots=True)
class _Running:
    seconds: float
    started: float
    priority: Priority


@dataclass
class _State:
    heap: list[tuple[int, int, _Item]] = field(default_factory=list)
    running: dict[int, _Running] = field(default_factory=dict)
    per_priority: dict[Priority, _PriorityStats] = field(
        default_factory=lambda: {p: _PriorityStats() for p in Priority}
    )


class TranscriptionScheduler:
    """Decode requests taken by priority by ``workers`` threads, each calling ``decode`` for one request."""

    def __init__(
        self, decode: DecodeFn, *, workers: int = 1, rtf: float = DEFAULT_RTF, name: str = ""
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be 1 or more")
        self._decode = decode
        self.workers = workers
        self.name = name
        self._rtf = rtf
        self._cond = threading.Condition()
        self._state = _State()
        self._seq = itertools.count()
        self._threads: list[threading.Thread] = []
        self._closed = False

    @classmethod
    def for_engine(cls, engine: Engine, *, workers: int | None = None) -> TranscriptionScheduler:
        def decode(request: DecodeRequest) -> Transcript:
            return engine.transcribe(request.audio, language=request.language, initial_prompt=request.prompt)

        n = workers or int(getattr(engine, "num_workers", 1) or 1)
        return cls(decode, workers=n, name=getattr(engine, "model_name", ""))

    # --- callers ---------------------------------------------------------------------------------
    def submit(
        self,
        audio: np.ndarray,
        *,
        language: str | None = None,
        prompt: str | None = None,
        priority: Priority = Priority.PRACTICE,
    ) -> concurrent.futures.Future[Transcript]:
        """Queue one decode; the future holds its transcript (or the engine's exception).
        Cancelling the future before its decode starts drops the request."""
        item = _Item(
            DecodeRequest(audio, language, prompt, Priority(priority)), concurrent.futures.Future(), 0.0
        )
        with self._cond:
            if self._closed:
                raise RuntimeError("the transcription scheduler is closed")
            item.submitted = time.perf_counter()
            heapq.heappush(self._state.heap, (int(item.request.priority), next(self._seq), item))
            self._start_workers()
            self._cond.notify_all()
        return item.future

    def busy(self) -> bool:
        """Whether any request is pending or being decoded (a guess should not be queued then)."""
        with self._cond:
            return bool(self._state.heap or self._state.running)

    def backlog_seconds(self) -> float:
        """Estimated seconds until the work pending now is decoded: the audio seconds of every pending
        request (guesses excluded: they give way) and what is left of the running decodes, times the
        measured real-time factor, shared by the workers."""
        now = time.perf_counter()
        with self._cond:
            pending = sum(
                item.request.seconds
                for _p, _s, item in self._state.heap
                if item.request.priority != Priority.SPECULATIVE and not item.future.cancelled()
            )
            running = sum(
                max(0.0, r.seconds * self._rtf - (now - r.started))
                for r in self._state.running.values()
                if r.priority != Priority.SPECULATIVE
            )
            return (pending * self._rtf + running) / self.workers

    def stats(self) -> dict[str, Any]:
        """Counts and waits per priority, the running real-time factor and the backlog (JSON-able)."""
        backlog = self.backlog_seconds()
        with self._cond:
            pending: dict[str, int] = {p.name.lower(): 0 for p in Priority}
            pending_s: dict[str, float] = {p.name.lower(): 0.0 for p in Priority}
            for _p, _s, item in self._state.heap:
                pending[item.request.priority.name.lower()] += 1
                pending_s[item.request.priority.name.lower()] += item.request.seconds
            per = {
                p.name.lower(): {
                    "pending": pending[p.name.lower()],
                    "pending_audio_s": round(pending_s[p.name.lower()], 2),
                    "decoded": s.decoded,
                    "failed": s.failed,
                    "audio_s": round(s.audio_s, 2),
                    "decode_s": round(s.decode_s, 2),
                    "mean_wait_s": round(s.wait_s / s.decoded, 3) if s.decoded else 0.0,
                    "max_wait_s": round(s.max_wait_s, 3),
                }
                for p, s in self._state.per_priority.items()
            }
            return {
                "workers": self.workers,
                "running": len(self._state.running),
                "pending": len(self._state.heap),
                "rtf": round(self._rtf, 4),
                "backlog_s": round(backlog, 2),
                "priorities": per,
            }

    def close(self) -> None:
        """Stop the workers once the requests already queued are decoded (tests, shutdown)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for t in self._threads:
            if t is not threading.current_thread():
                t.join()

    # --- workers ---------------------------------------------------------------------------------
    def _start_workers(self) -> None:
        """Start the worker threads on the first request (lock held)."""
        while len(self._threads) < self.workers:
            t = threading.Thread(
                target=self._work, name=f"transcribe-scheduler-{len(self._threads)}", daemon=True
            )
            self._threads.append(t)
            t.start()

    def _next(self) -> _Item | None:
        """The most urgent request to start now (lock held), or None to wait. A guess starts only
        when it is the only request pending and no other decode runs."""
        heap = self._state.heap
        while heap and heap[0][2].future.cancelled():
            heapq.heappop(heap)
        if not heap:
            return None
        if heap[0][0] == Priority.SPECULATIVE and self._state.running:
            return None
        return heapq.heappop(heap)[2]

    def _work(self) -> None:
        me = threading.get_ident()
        while True:
            with self._cond:
                item = self._next()
                while item is None:
                    if self._closed and not self._state.heap:
                        return
                    self._cond.wait()
                    item = self._next()
                if not item.future.set_running_or_notify_cancel():
                    continue
                request = item.request
                started = time.perf_counter()
                self._state.running[me] = _Running(request.seconds, started, request.priority)
            ok = True
            try:
                transcript = self._decode(request)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
                ok = False
                item.future.set_exception(exc)
            else:
                item.future.set_result(transcript)
            done = time.perf_counter()
            with self._cond:
                del self._state.running[me]
                self._account(request, started - item.submitted, done - started, ok)
                self._cond.notify_all()

    def _account(self, request: DecodeRequest, waited: float, took: float, ok: bool) -> None:
        s = self._state.per_priority[request.priority]
        if not ok:
            s.failed += 1
            return
        s.decoded += 1
        s.audio_s += request.seconds
        s.decode_s += took
        s.wait_s += waited
        s.max_wait_s = max(s.max_wait_s, waited)
        if request.seconds >= 1.0:  # a tiny piece says little about the real-time factor
            self._rtf += RTF_WEIGHT * (took / request.seconds - self._rtf)
        log.debug(
            "decoded %s %.1f s of audio in %.2f s after waiting %.2f s",
            request.priority.name,
            request.seconds,
            took,
            waited,
        )


_schedulers: weakref.WeakKeyDictionary[Any, TranscriptionScheduler] = weakref.WeakKeyDictionary()
_schedulers_lock = threading.Lock()


def scheduler_for(engine: Engine) -> TranscriptionScheduler:
    """The process's scheduler for ``engine``, made on first use: every transcriber of it shares it."""
    with _schedulers_lock:
        scheduler = _schedulers.get(engine)
        if scheduler is None:
            scheduler = TranscriptionScheduler.for_engine(engine)
            _schedulers[engine] = scheduler
        return scheduler
