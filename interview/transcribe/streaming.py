"""Transcribing an answer while it is spoken, so the transcript is ready moments after it ends.

A :class:`StreamingTranscriber` is fed PCM frames (``feed`` only appends to a buffer and wakes a
worker thread). The worker runs Silero VAD over the new audio and, when the speaker pauses,
transcribes the utterance that just ended with the shared :class:`~interview.transcribe.engine.Engine`.
When the answer ends, ``finish`` only has to wait for the last utterance, which is short.

Utterances shorter than ``min_utterance_s`` (12 s) are joined with the next one (a lone "Good
morning." decodes worse than a sentence with context; measured over four answers, 12 s brought the
streaming word error rate level with whole-file transcription where 8 s was 1.4 points worse, see
docs/benchmarks-transcription.md), and each utterance is prompted with the end of the text before
it, so words at the cuts read as they would in one transcription of the whole file (unless that text
is a repetition loop or was marked uncertain, which the prompt would carry on). The language is
detected on the first utterance and then kept.

Joining short utterances would leave up to ``min_utterance_s`` of speech for ``finish`` to decode.
So at every pause the worker, when it has nothing else to do, decodes the utterance so far
*speculatively*: if the speaker goes on, the result is dropped; if the answer ends in that pause
(as answers do: the speaker stops, then presses "done"), ``finish`` finds the last utterance already
decoded. A speculative decode is the decode a cut at that pause would have made (same audio, same
prompt), so speculation changes when the work is done, never the transcript. It only runs while no
streaming transcriber of this process is decoding, so under load it gives way to real work.

Decodes go through the process's :class:`~interview.transcribe.scheduler.TranscriptionScheduler`
for the engine, with the transcriber's ``priority``: a practice answer's utterances as ``PRACTICE``
and, once the answer has ended, ``FINAL``; a room recording's as ``ROOM``; guesses as ``SPECULATIVE``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from dataclasses import replace

import av
import numpy as np

from interview.transcribe.audio import SAMPLE_RATE, to_float32
from interview.transcribe.engine import FILLER_PROMPTS, Engine
from interview.transcribe.loops import MAX_COMPRESSION, compression_ratio
from interview.transcribe.scheduler import Priority, TranscriptionScheduler, scheduler_for
from interview.transcribe.types import DecodeStats, Segment, Transcript
from interview.transcribe.vad import WINDOW, StreamingVad

log = logging.getLogger(__name__)

SPEECH_THRESHOLD = 0.5
SILENCE_THRESHOLD = 0.35
PROMPT_WORDS = 24
#: Whisper's own threshold for a repetitive decode (gzip compression ratio of the text)
MAX_PROMPT_COMPRESSION = MAX_COMPRESSION


class StreamingTranscriber:
    """Fed 16 kHz mono float32 (or int16) PCM while an answer is spoken; ``finish`` returns the transcript."""

    def __init__(
        self,
        engine: Engine,
        *,
        language: str | None = None,
        sample_rate: int = SAMPLE_RATE,
        min_pause_s: float = 0.5,
        min_utterance_s: float = 12.0,
        max_utterance_s: float = 25.0,
        filler_prompt: bool = True,
        speculate: bool = True,
        priority: Priority = Priority.PRACTICE,
        scheduler: TranscriptionScheduler | None = None,
    ) -> None:
        """``priority`` is that of the utterances cut while the audio goes on: ``PRACTICE`` (whose
        end-of-answer work is ``FINAL``) or ``ROOM``; ``scheduler``: the process's for ``engine``."""
        if priority not in (Priority.PRACTICE, Priority.ROOM):
            raise ValueError("a streaming transcriber's priority is PRACTICE or ROOM")
        self.priority = priority
        self._final_priority = Priority.FINAL if priority == Priority.PRACTICE else priority
        self.scheduler = scheduler or scheduler_for(engine)
        self._speculate = speculate
        self._filler_prompt = filler_prompt
        self.engine = engine
        self.language = None if language in (None, "", "auto") else language
        self.sample_rate = sample_rate
        self._resampler = (
            None
            if sample_rate == SAMPLE_RATE
            else av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        )
        self._pause_windows = max(1, round(min_pause_s * SAMPLE_RATE / WINDOW))
        self._min_utterance = int(min_utterance_s * SAMPLE_RATE)
        self._max_utterance = int(max_utterance_s * SAMPLE_RATE)
        self._cond = threading.Condition()
        self._incoming: list[np.ndarray] = []
        self._ended = False
        self._aborted = False
        self._ending = False  # the worker has seen the end: what is left is end-of-answer work
        self._result: concurrent.futures.Future[Transcript] = concurrent.futures.Future()
        # worker-thread state
        self._audio: list[np.ndarray] = []
        self._total = 0  # samples received by the worker
        self._cut = 0  # start of the audio not yet transcribed
        self._speech_in_pending = False
        self._silence_run = 0
        self._segments: list[Segment] = []
        self._detected: str | None = None
        self._idle_keep = SAMPLE_RATE // 2
        #: a pause inside an utterance still too short to cut: where a cut there would be
        self._pause_point: int | None = None
        #: (end, (segments, language)) of the speculative decode of [cut, end), while no speech came after it
        self._guess: tuple[int, tuple[list[Segment], str]] | None = None
        self.utterances = 0
        #: speculative decodes made, and how many of them became the transcript
        self.guesses = 0
        self.guesses_used = 0
        #: what every decode of this answer cost, speculative ones included
        self.decoding = DecodeStats()
        self._thread = threading.Thread(target=self._run, name="streaming-transcriber", daemon=True)
        self._thread.start()

    # --- caller side ----------------------------------------------------------------------------
    def feed(self, pcm: np.ndarray) -> None:
        """Append a chunk of mono PCM. Cheap: never waits for Whisper."""
        samples = to_float32(pcm)
        if self._resampler is not None:
            samples = self._resample(samples)
        with self._cond:
            if self._ended:
                raise RuntimeError("feed() after finish()")
            if len(samples):
                self._incoming.append(samples.copy())
                self._cond.notify()

    async def finish(self) -> Transcript:
        """Mark the end of the audio and return the whole transcript once the last utterance is done."""
        if self._resampler is not None:
            tail = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(None)]
            if tail:
                with self._cond:
                    self._incoming.append(np.concatenate(tail).astype(np.float32))
        with self._cond:
            self._ended = True
            self._cond.notify()
        return await asyncio.wrap_future(self._result)

    def abort(self) -> None:
        """Stop without a transcript (the connection dropped); the worker thread ends soon after."""
        with self._cond:
            self._ended = self._aborted = True
            self._cond.notify()

    # --- worker thread --------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            vad = StreamingVad()
            while True:
                with self._cond:
                    while not self._incoming and not self._ended:
                        self._cond.wait()
                    chunks, self._incoming = self._incoming, []
                    ended, aborted = self._ended, self._aborted
                self._ending = ended
                if aborted:
                    self._result.cancel()
                    return
                for chunk in chunks:
                    self._audio.append(chunk)
                    start = vad.windows * WINDOW
                    self._total += len(chunk)
                    self._scan(vad.process(chunk), start)
                if ended:
                    if self._speech_in_pending:
                        self._transcribe_until(self._total)
                    self._result.set_result(self._transcript())
                    return
                if self._pause_point is not None and self._speculate and self._idle():
                    self._guess_until(self._pause_point)
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting caller
            log.exception("streaming transcription failed")
            if not self._result.done():
                self._result.set_exception(exc)

    def _scan(self, probs: np.ndarray, first_sample: int) -> None:
        for i, p in enumerate(probs):
            pos = first_sample + (i + 1) * WINDOW  # end of this window
            if p >= SPEECH_THRESHOLD:
                self._speech_in_pending = True
                self._silence_run = 0
                self._pause_point = self._guess = None  # the speaker went on
                continue
            if p < SILENCE_THRESHOLD or self._silence_run:
                self._silence_run += 1
            if not self._speech_in_pending:
                if pos - self._cut > self._idle_keep * 2:  # only silence so far: keep its last part
                    self._cut = pos - self._idle_keep
                    self._drop_before(self._cut)
                continue
            length = pos - self._cut
            paused = self._silence_run >= self._pause_windows and length >= self._min_utterance
            too_long = self._silence_run >= 4 and length >= self._max_utterance
            # cut inside the pause, leaving a little silence on each side
            point = pos - self._silence_run * WINDOW // 2
            if paused or too_long:
                self._transcribe_until(point)
            elif self._silence_run == self._pause_windows:
                self._pause_point = point

    def _transcribe_until(self, end: int) -> None:
        if end <= self._cut:
            return
        decoded: tuple[list[Segment], str] | None
        if self._guess is not None:  # decoded speculatively earlier in this pause: only silence since
            end, decoded = self._guess
            self.guesses_used += 1
        else:
            decoded = self._decode(end, self._final_priority if self._ending else self.priority)
            assert decoded is not None  # only a guess gives way
        self._commit(decoded, end)

    def _guess_until(self, end: int) -> None:
        if self.scheduler.busy():
            return  # another transcriber is decoding: try again after the next piece of audio
        if end > self._cut and self._guess is None:
            decoded = self._decode(end, Priority.SPECULATIVE, give_way=True)
            if decoded is None:
                return  # audio came (or the answer ended) before the guess started: see it first
            self._guess = (end, decoded)
            self.guesses += 1
        self._pause_point = None

    def _wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def _idle(self) -> bool:
        with self._cond:
            return not self._incoming and not self._ended

    def _decode(
        self, end: int, priority: Priority, *, give_way: bool = False
    ) -> tuple[list[Segment], str] | None:
        """Transcribe [cut, end) with the text so far as prompt: segments timed in the whole answer,
        and the language heard. Changes nothing: a guess may be dropped. With ``give_way`` (a guess),
        None if audio came or the answer ended before the scheduler started the decode: a guess
        waits for an idle scheduler, and this thread must not wait with it while there is work."""
        audio = self._slice(self._cut, end)
        offset = self._cut / SAMPLE_RATE
        request = self.scheduler.submit(
            audio, language=self.language, prompt=self._prompt(), priority=priority
        )
        if give_way:
            request.add_done_callback(lambda _f: self._wake())
            with self._cond:
                while not request.done() and not self._incoming and not self._ended:
                    self._cond.wait()
            if request.cancel():
                return None
        tr = request.result()  # this transcriber's own thread waits; the scheduler's worker decodes
        if tr.decoding is not None:
            self.decoding = self.decoding + tr.decoding
        return [
            replace(
                seg,
                start=seg.start + offset,
                end=seg.end + offset,
                words=tuple(replace(w, start=w.start + offset, end=w.end + offset) for w in seg.words),
            )
            for seg in tr.segments
        ], tr.language

    def _commit(self, decoded: tuple[list[Segment], str], end: int) -> None:
        segments, language = decoded
        if self.language is None and segments:
            self.language = language  # detected on the first utterance with words, then kept
        self._detected = language
        self._segments.extend(segments)
        self.utterances += 1
        log.debug("utterance %d: %.2f-%.2f s", self.utterances, self._cut / SAMPLE_RATE, end / SAMPLE_RATE)
        self._cut = end
        self._speech_in_pending = False
        self._pause_point = self._guess = None
        self._drop_before(end)

    def _prompt(self) -> str | None:
        if not self._segments or self.language is None:
            return None  # the engine's own filler prompt
        recent = [s for s in self._segments[-PROMPT_WORDS:] if not s.uncertain]  # a segment: a word or more
        words = " ".join(" ".join(s.text for s in recent).split()[-PROMPT_WORDS:])
        fillers = FILLER_PROMPTS.get(self.language, "") if self._filler_prompt else ""
        if compression_ratio(words) > MAX_PROMPT_COMPRESSION:
            words = ""  # a repetition loop ("Good morning. Good morning. ..."): do not carry it on
        return f"{fillers} {words}".strip()

    def _slice(self, start: int, end: int) -> np.ndarray:
        buf = np.concatenate(self._audio) if len(self._audio) > 1 else self._audio[0]
        self._audio = [buf]
        base = self._total - len(buf)
        return buf[start - base : end - base]

    def _drop_before(self, sample: int) -> None:
        buf = np.concatenate(self._audio) if len(self._audio) > 1 else self._audio[0]
        base = self._total - len(buf)
        self._audio = [buf[sample - base :]]

    def _transcript(self) -> Transcript:
        language = self.language or self._detected or "en"
        model = getattr(self.engine, "model_name", "")
        return Transcript(
            language, self._total / SAMPLE_RATE, model, tuple(self._segments), decoding=self.decoding
        )

    def _resample(self, samples: np.ndarray) -> np.ndarray:
        assert self._resampler is not None
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self.sample_rate
        out = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)]
        return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)
