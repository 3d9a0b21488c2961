"""The Whisper engine: one interface, faster-whisper by default, openai-whisper as an option.

:func:`load_engine` loads a model once per process (cached by backend, model, device and
compute type) and returns an :class:`Engine`. ``transcribe`` is synchronous CPU work: call it
from a worker thread (``asyncio.to_thread``), never on the event loop.

Decoding choices (measured, see docs/transcription.md):

* Silero VAD (bundled with faster-whisper) cuts silence first, so silence and noise never
  become invented text ("Thank you for watching"); audio without speech is not decoded at all;
* the window Whisper leaves over at the very end of the speech (the end padding and the tail
  of the last word, after Whisper has already ended its last segment) is not decoded: it held
  no words, and decoding it turned the silence into fillers ("So, uh, so, so, so") and cost up
  to ten times the whole transcription through temperature fallback (docs/transcription.md);
* word timestamps are always on;
* fillers (음, 어, um, uh ...) are kept for the feedback: a short prompt full of fillers in the
  language being transcribed is the initial prompt, and ``condition_on_previous_text`` carries
  the fillers transcribed so far into later 30 s windows. Repeating the prompt in every window
  as ``hotwords`` kept no more fillers and made tiny.en hallucinate (see docs/transcription.md);
* decoding is bounded by the audio's length: at most three temperatures a window and at most
  :func:`~interview.transcribe.confidence.max_new_tokens` tokens a decode, so audio the model cannot
  understand costs seconds, not half a minute; each segment carries Whisper's confidence and is
  marked uncertain when the decode failed or a loop had to be collapsed (``confidence.py``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from faster_whisper.transcribe import restore_speech_timestamps
from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

from interview.transcribe import confidence
from interview.transcribe.audio import SAMPLE_RATE, decode_audio, to_float32
from interview.transcribe.errors import LanguageNotSupported, ModelUnavailable
from interview.transcribe.loops import collapse_loop
from interview.transcribe.model_files import resolve_model
from interview.transcribe.types import DecodeStats, Segment, Transcript, Word

if TYPE_CHECKING:
    from core.config import Settings

log = logging.getLogger(__name__)

Progress = Callable[[float], None]
AudioInput = str | os.PathLike[str] | np.ndarray

#: a window left at the end of the speech, beyond the VAD's end padding, shorter than this is not
#: decoded (measured leftovers after the last word: 0.22-0.42 s, padding included)
LEFTOVER_S = 0.3

#: short prompts in the speaker's style, fillers included (long prompts truncate the output)
FILLER_PROMPTS: dict[str, str] = {
    "en": "Um, so, uh, I mean, I was, uh, working there. Hmm, well, you know, yeah.",
    "ko": "음, 어, 그, 저는 어, 그러니까 이제, 뭐, 그 회사에서 음, 일했습니다.",
}


class Engine(Protocol):
    model_name: str

    def transcribe(
        self,
        audio: AudioInput,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        progress: Progress | None = None,
    ) -> Transcript: ...


@dataclass(frozen=True, slots=True)
class DecodeOptions:
    """How faster-whisper decodes; the defaults are the measured choice."""

    beam_size: int = 5
    filler_prompt: bool = True  # FILLER_PROMPTS as initial prompt when the caller gives none
    filler_hotwords: bool = (
        False  # as hotwords too, repeated in every window: measured worse (tiny.en WER 31 %)
    )
    condition_on_previous_text: bool = True
    vad_min_silence_ms: int = 500
    vad_speech_pad_ms: int = 200
    vad_threshold: float = 0.5
    decode_leftover: bool = False  # decode the window left at the end of the speech: measured worse
    temperatures: tuple[float, ...] = confidence.TEMPERATURES  # fallback steps (faster-whisper: six)
    bound_tokens: bool = True  # at most confidence.max_new_tokens(speech) tokens a decode

    def vad(self) -> VadOptions:
        return VadOptions(
            threshold=self.vad_threshold,
            min_silence_duration_ms=self.vad_min_silence_ms,
            speech_pad_ms=self.vad_speech_pad_ms,
        )


def speech_of(samples: np.ndarray, vad: VadOptions) -> tuple[list[dict[str, int]], np.ndarray | None]:
    """The VAD's speech chunks (in samples) and the speech alone, joined; ``None`` without speech.
    The same pass faster-whisper makes with ``vad_filter=True``, made here so the backends know
    where the speech ends and can skip a file without any."""
    chunks = get_speech_timestamps(samples, vad) if len(samples) else []
    if not chunks:
        return [], None
    return chunks, np.concatenate(collect_chunks(samples, chunks)[0])


class FasterWhisperEngine:
    """faster-whisper (CTranslate2): int8 on a CPU, float16 or int8 on a GPU with ``device="auto"``."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        model_name: str,
        device: str = "auto",
        compute_type: str = "int8",
        cpu_threads: int = 0,
        num_workers: int = 1,
        max_audio_seconds: float | None = None,
        options: DecodeOptions | None = None,
    ) -> None:
        from faster_whisper import WhisperModel

        started = time.perf_counter()
        self.model_name = model_name
        self.options = options or DecodeOptions()
        self.max_audio_seconds = max_audio_seconds
        self.num_workers = num_workers  # decodes CTranslate2 runs at once: the scheduler's workers
        self._model = WhisperModel(
            os.fspath(path),
            device=device,
            compute_type=compute_type,
            cpu_threads=cpu_threads or (os.cpu_count() or 1),
            num_workers=num_workers,
            local_files_only=True,
        )
        self._counter = _CountingModel(self._model.model)
        self._model.model = self._counter
        self.multilingual: bool = bool(self._model.model.is_multilingual)
        self.load_seconds = time.perf_counter() - started
        log.info("loaded Whisper model %s (%s) in %.2f s", model_name, compute_type, self.load_seconds)

    def with_options(self, **changes: Any) -> FasterWhisperEngine:
        """The same loaded model with other decoding options (for measurements)."""
        clone = object.__new__(FasterWhisperEngine)
        clone.__dict__.update(self.__dict__)
        clone.options = replace(self.options, **changes)
        return clone

    def transcribe(
        self,
        audio: AudioInput,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        progress: Progress | None = None,
    ) -> Transcript:
        samples = self._samples(audio)
        duration = len(samples) / SAMPLE_RATE
        forced = self._forced_language(language)
        chunks, speech = speech_of(samples, self.options.vad())
        if speech is None:
            if progress is not None:
                progress(1.0)
            return Transcript(language=forced or "en", duration=duration, model=self.model_name)
        lang = forced or self._detect(speech)
        opts = self.options
        fillers = FILLER_PROMPTS.get(lang)
        prompt = initial_prompt if initial_prompt is not None else (fillers if opts.filler_prompt else None)
        bound = confidence.max_new_tokens(len(speech) / SAMPLE_RATE) if opts.bound_tokens else None
        last = len(speech) / SAMPLE_RATE - opts.vad_speech_pad_ms / 1000 - LEFTOVER_S
        if opts.decode_leftover:
            last = float("inf")
        out: list[Segment] = []
        with self._counter.counting(bound or 0) as count:  # faster-whisper decodes while we iterate
            segments, _info = self._model.transcribe(
                speech,
                language=lang,
                beam_size=opts.beam_size,
                initial_prompt=prompt or None,
                hotwords=fillers if opts.filler_hotwords else None,
                condition_on_previous_text=opts.condition_on_previous_text,
                word_timestamps=True,
                vad_filter=False,
                temperature=list(opts.temperatures),
                compression_ratio_threshold=confidence.COMPRESSION_RATIO_THRESHOLD,
                log_prob_threshold=confidence.LOG_PROB_THRESHOLD,
                no_speech_threshold=confidence.NO_SPEECH_THRESHOLD,
                max_new_tokens=bound,
            )
            for seg in restore_speech_timestamps(_until_leftover(segments, last), chunks, SAMPLE_RATE):
                words = tuple(
                    Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                    for w in (seg.words or ())
                    if w.word.strip()
                )
                plain = collapse_loop(Segment(float(seg.start), float(seg.end), seg.text.strip(), words))
                scores = (float(seg.avg_logprob), float(seg.no_speech_prob), float(seg.compression_ratio))
                out.append(confidence.with_confidence(plain, *scores))
                if progress is not None and duration > 0:
                    progress(min(1.0, seg.end / duration))
            stats = count.stats()
        if progress is not None:
            progress(1.0)
        return Transcript(
            language=lang, duration=duration, model=self.model_name, segments=tuple(out), decoding=stats
        )

    def _samples(self, audio: AudioInput) -> np.ndarray:
        if isinstance(audio, np.ndarray):
            return to_float32(audio)
        return decode_audio(audio, max_seconds=self.max_audio_seconds)

    def _forced_language(self, language: str | None) -> str | None:
        """The language asked for, checked; None for automatic detection."""
        if language in (None, "", "auto"):
            return None if self.multilingual else "en"
        assert language is not None
        if not self.multilingual and language != "en":
            raise LanguageNotSupported(language, self.model_name)
        from faster_whisper.tokenizer import _LANGUAGE_CODES

        if language not in _LANGUAGE_CODES:
            raise LanguageNotSupported(language, self.model_name)
        return language

    def _detect(self, speech: np.ndarray) -> str:
        language, _prob, _all = self._model.detect_language(speech)
        return str(language)


_engines: dict[tuple[str, ...], Engine] = {}
_engines_lock = threading.Lock()


#: decodes at once when nothing is set (CTranslate2 replicas, each with its share of the cores)
MAX_AUTO_WORKERS = 4


def thread_split(settings: Settings, cores: int | None = None) -> tuple[int, int]:
    """(CPU threads per decode, decodes at once) for the Whisper model.

    Measured on 2 cores (docs/benchmarks-practice.md): two single-threaded decodes serve several
    seniors sooner than one decode on both cores (practice feedback p95 3.64 s against 5.73 s for two
    seniors at once), so by default each core runs its own decode, up to MAX_AUTO_WORKERS, and the
    cores are shared among them. Settings given win; threads given alone fix the decodes to the cores
    they leave."""
    cores = cores or os.cpu_count() or 1
    workers, threads = settings.whisper_workers, settings.whisper_threads
    if not workers:
        workers = max(1, min(MAX_AUTO_WORKERS, cores // threads if threads else cores))
    if not threads:
        threads = max(1, cores // workers)
    return threads, workers


def load_engine(settings: Settings, model: str | None = None) -> Engine:
    """The engine for ``settings`` (or another ``model`` name or path), loaded once per process."""
    name = (model or settings.whisper_model).strip()
    key = (
        settings.whisper_backend,
        name,
        str(Path(settings.data_dir).resolve()),
        settings.whisper_device,
        settings.whisper_compute_type,
        str(thread_split(settings)),
    )
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _build(settings, name)
            _engines[key] = engine
        return engine


def _build(settings: Settings, name: str) -> Engine:
    if settings.whisper_backend == "openai-whisper":
        from interview.transcribe.openai_backend import OpenAIWhisperEngine

        return OpenAIWhisperEngine.load(name, settings)
    resolved = resolve_model(name, Path(settings.data_dir))
    try:
        return FasterWhisperEngine(
            resolved.path,
            model_name=resolved.name,
            device=settings.whisper_device,
            compute_type=settings.whisper_compute_type,
            cpu_threads=thread_split(settings)[0],
            num_workers=thread_split(settings)[1],
            max_audio_seconds=settings.max_audio_seconds,
        )
    except (RuntimeError, ValueError) as exc:  # CTranslate2: unreadable model, unsupported device/type
        raise ModelUnavailable(f"cannot load Whisper model {name} from {resolved.path}: {exc}") from exc


class _CountingModel:
    """CTranslate2's Whisper model with its ``generate`` calls counted per thread: every window's
    decodes (temperature fallbacks included) and the tokens they wrote, for :class:`DecodeStats`."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._local = threading.local()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    @contextlib.contextmanager
    def counting(self, bound: int) -> Iterator[_Count]:
        count = _Count(bound)
        self._local.count = count
        try:
            yield count
        finally:
            self._local.count = None

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        results = self._model.generate(*args, **kwargs)
        count: _Count | None = getattr(self._local, "count", None)
        if count is not None:
            count.add(first_try="sampling_temperature" not in kwargs, results=results)
        return results


class _Count:
    def __init__(self, bound: int) -> None:
        self.bound = bound
        self.windows = self.decodes = self.tokens = self.longest = 0

    def add(self, *, first_try: bool, results: Any) -> None:
        written = max((len(ids) for r in results for ids in r.sequences_ids), default=0)
        self.windows += int(first_try)
        self.decodes += 1
        self.tokens += written
        self.longest = max(self.longest, written)

    def stats(self) -> DecodeStats:
        return DecodeStats(self.windows, self.decodes, self.tokens, self.longest, self.bound)


def _until_leftover(segments: Iterable[Any], last: float) -> Iterator[Any]:
    """Segments until one ends at ``last`` (seconds of VAD speech) or later; the window after it
    is never decoded, because faster-whisper decodes a window only when its next segment is asked for."""
    for seg in segments:
        end = float(seg.end)  # read before restore_speech_timestamps moves it to the file's time
        yield seg
        if end >= last:
            return
