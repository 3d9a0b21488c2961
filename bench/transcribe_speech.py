"""Speech with a known text for the transcription benchmark: espeak-ng + sox, and scoring with jiwer.

``make_answer`` speaks sentences with pauses between them (like an interview answer) into a
16 kHz mono WAV; ``wer``, ``strict_wer`` and ``filler_survival`` compare a transcript with the
text spoken. ``ANSWERS`` is the set of answers (two texts, two voices, four speaking rates and
pause lengths) over which streaming and whole-file transcription are compared.

``wer`` is the word error rate as Whisper's authors report it: both texts through Whisper's
``EnglishTextNormalizer`` (numbers as digits, "I'm" as "I am", fillers removed: fillers are
counted by ``filler_survival``). ``strict_wer`` counts every word as written, fillers included.
"""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import jiwer

#: a ~2-minute interview answer in plain English, fillers at known places
ANSWER = [
    "Good morning. Um, thank you for inviting me today.",
    "I worked for a steel company for many years, uh, mostly in quality control.",
    "At first I checked the products on the line by hand.",
    "Later I led a team of twelve people, um, and we built a new inspection process.",
    "We measured every coil before it left the factory.",
    "Uh, the number of complaints from customers went down by half.",
    "I also trained the young engineers who joined the team.",
    "Hmm, I think teaching was the part of the job that I liked the most.",
    "When the company moved the factory abroad, I stayed here with my family.",
    "Since then I have been, um, helping small suppliers with their quality systems.",
    "They often have good products, uh, but no time to write down their methods.",
    "I visit them, watch how they work, and write simple checklists with them.",
    "Your company makes parts for cars, so quality is very important for you.",
    "Um, I believe my experience fits this position well.",
    "I can start next month, and I am happy to work on site every day.",
    "Thank you for listening. Uh, I am ready for your questions.",
    "In my free time I teach a quality course at the community center.",
    "Uh, many of my students are younger than my own children.",
    "They ask good questions, and, um, they keep me up to date.",
    "Working with them showed me that I still enjoy learning every week.",
]
#: a second answer, other words and other numbers
ANSWER2 = [
    "Hello, and thank you for the chance to speak with you.",
    "Um, I spent twenty five years in logistics, mostly in warehouses near Busan.",
    "I started as a forklift driver and became the manager of the whole site.",
    "Uh, we handled about three hundred trucks a day at the busiest time.",
    "The hardest part was planning the shifts so that nobody worked too long.",
    "I introduced a simple schedule on a whiteboard, and, um, people liked it.",
    "Later we moved the schedule into a computer system, which I helped choose.",
    "Hmm, I am not an expert in software, but I learn new tools quickly.",
    "My former colleagues say that I am calm when something goes wrong.",
    "Once a storm closed the port for three days, uh, and we had to reroute everything.",
    "We called every customer ourselves and explained the new delivery dates.",
    "Not one customer left us after that week.",
    "I would like to bring that kind of care to your company.",
    "Um, I can work full time, and I live close to your office.",
    "Thank you. I am glad to answer any questions you have.",
]
#: (name, sentences, espeak voice, words per minute, pause after each sentence in s); "a" is the
#: 2-minute answer of the latency measurement
ANSWERS = [
    ("a", ANSWER, "en", 150, 1.5),
    ("b", ANSWER, "en-us", 165, 0.8),
    ("c", ANSWER2, "en", 140, 1.2),
    ("d", ANSWER2, "en-us", 155, 1.0),
]
FILLERS = {"um", "uh", "er", "hmm"}
_FILLER_SPELLINGS = {
    "umm": "um",
    "uhm": "um",
    "mm": "hmm",
    "hm": "hmm",
    "mhm": "hmm",
    "uhh": "uh",
    "erm": "er",
}


def speak(text: str, path: Path, *, rate: int = 150, voice: str = "en") -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True)
    return path


def make_answer(
    sentences: list[str],
    path: Path,
    *,
    pause_s: float = 1.0,
    rate: int = 150,
    voice: str = "en",
    dither: bool = True,
) -> Path:
    """Speak ``sentences`` with ``pause_s`` of silence between them into a 16 kHz mono WAV.
    sox dithers with random noise; ``dither=False`` makes the same file every time."""
    with tempfile.TemporaryDirectory() as tmp:
        parts: list[str] = []
        silence = Path(tmp) / "silence.wav"
        subprocess.run(
            ["sox", "-n", "-r", "22050", "-c", "1", "-b", "16", str(silence), "trim", "0", str(pause_s)],
            check=True,
        )
        for i, sentence in enumerate(sentences):
            part = speak(sentence, Path(tmp) / f"s{i}.wav", rate=rate, voice=voice)
            parts += [str(part), str(silence)]
        subprocess.run(
            ["sox", *([] if dither else ["-D"]), *parts, "-r", "16000", "-c", "1", "-b", "16", str(path)],
            check=True,
        )
    return path


def normalize(text: str) -> str:
    words = re.sub(r"[^\w\s']", " ", text.lower()).split()
    return " ".join(_FILLER_SPELLINGS.get(w, w) for w in words)


@functools.cache
def _whisper_normalizer() -> Callable[[str], str]:
    from whisper.normalizers import EnglishTextNormalizer  # imports torch: only when scoring

    return EnglishTextNormalizer()


def wer(reference: str, hypothesis: str) -> float:
    """WER after Whisper's English normalizer (from the openai-whisper extra)."""
    n = _whisper_normalizer()
    return float(jiwer.wer(n(reference), n(hypothesis) or "<empty>"))


def strict_wer(reference: str, hypothesis: str) -> float:
    """WER over lower-cased, punctuation-free words: "twelve" against "12" and "I'm" against "I am" count."""
    return float(jiwer.wer(normalize(reference), normalize(hypothesis) or "<empty>"))


def filler_survival(reference: str, hypothesis: str) -> tuple[int, int]:
    """(fillers of the reference matched at their place in the hypothesis, fillers in the reference)."""
    ref, hyp = normalize(reference), normalize(hypothesis) or "<empty>"
    out = jiwer.process_words(ref, hyp)
    ref_words = ref.split()
    spoken = sum(1 for w in ref_words if w in FILLERS)
    kept = 0
    for chunk in out.alignments[0]:
        if chunk.type == "equal":
            kept += sum(1 for w in ref_words[chunk.ref_start_idx : chunk.ref_end_idx] if w in FILLERS)
    return kept, spoken
