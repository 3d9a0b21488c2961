"""A recorded interview's page in real Chromium, on one server: both speakers' transcripts in one timeline,
pressing a line plays that speaker's recording from the line's start, and sharing with a coach through the
form (the coach sees it, then loses it when the candidate stops sharing).

The two recordings are Ogg/Opus files of espeak-ng speech, transcribed by the real Whisper (tiny.en),
listed as the room recorder lists them. The whole path from two browsers through the recorder is in
tests/e2e/test_rooms.py (test_recording_with_everyones_consent), which needs two nodes, Redis and coturn.
"""

from __future__ import annotations

import asyncio
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from core.accounts import User
from core.clock import utcnow
from core.config import load_settings
from core.db import create_engine, session_factory
from interview.rooms import recordings, service
from interview.transcribe import jobs
from interview.transcribe.engine import load_engine
from tests.e2e.conftest import LiveServer, axe_violations, log_in

pytestmark = pytest.mark.e2e

SAID = {
    "company": "Good morning. Please tell us about your work in quality control.",
    "senior": "I checked car parts for thirty years and trained twelve inspectors.",
}


def _speech(folder: Path, name: str, text: str) -> Path:
    wav, ogg = folder / f"{name}.wav", folder / f"{name}.ogg"
    subprocess.run(["espeak-ng", "-v", "en", "-s", "140", "-w", str(wav), text], check=True, timeout=60)
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-i", str(wav), "-af", "adelay=1500", "-ar", "48000",
         "-c:a", "libopus", str(ogg)],
        check=True, timeout=60,
    )  # fmt: skip
    return ogg


async def _recorded_room(server: LiveServer, folder: Path) -> int:
    """A room of the demo senior and company, both agreed, each voice recorded and transcribed."""
    from sqlalchemy import select

    settings = load_settings(data_dir=server.data_dir)
    engine = create_engine(settings)
    sessions = session_factory(engine)
    whisper = load_engine(load_settings(data_dir=folder, whisper_threads=2), "tiny.en")
    try:
        async with sessions() as session:
            emails = {role: server.accounts[role]["email"] for role in ("senior", "company")}
            users = {
                u.email: u for u in await session.scalars(select(User).where(User.email.in_(emails.values())))
            }
        ids = {role: users[email].id for role, email in emails.items()}
        room = await service.create_room(
            sessions, candidate_id=ids["senior"], interviewer_ids=[ids["company"]],
            scheduled_start=utcnow() - timedelta(minutes=30), duration_minutes=30,
        )  # fmt: skip
        for uid in ids.values():
            await service.set_consent(sessions, room.id, uid, True)
        start = utcnow() - timedelta(minutes=20)
        for shift, role in enumerate(("company", "senior")):  # the candidate answers after the question
            audio = _speech(folder, role, SAID[role])
            job = await jobs.submit(sessions, str(audio), language="en", owner_id=ids[role], kind="interview")
            transcript = await asyncio.to_thread(whisper.transcribe, str(audio), language="en")
            assert transcript.segments, role
            await jobs.complete(sessions, job, "test", transcript)
            await recordings.add_recording(
                sessions, room.id, ids[role], str(audio), started_at=start + timedelta(seconds=6 * shift),
                duration=transcript.duration, transcript_job_id=str(job),
            )  # fmt: skip
        return room.id
    finally:
        await engine.dispose()


def test_both_transcripts_seek_each_speaker_and_sharing(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    with ThreadPoolExecutor(1) as thread:  # outside Playwright's event loop, which owns this thread
        room = thread.submit(asyncio.run, _recorded_room(live_server, tmp_path)).result()
    phone = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="ko-KR"
    )
    coach_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    try:
        page, coach = phone.new_page(), coach_ctx.new_page()
        log_in(page, live_server, "senior")
        url = f"{live_server.url}/rooms/{room}/recordings"
        page.goto(url)
        # both speakers, each line tagged with its speaker, in the order spoken
        lines = page.locator(".line-seek")
        expect(lines.first).to_be_visible()
        speakers = lines.evaluate_all("bs => bs.map(b => b.querySelector('.line-speaker').textContent)")
        texts = " ".join(lines.evaluate_all("bs => bs.map(b => b.querySelector('.line-text').textContent)"))
        assert set(speakers) == {
            live_server.accounts["company"]["name"],
            live_server.accounts["senior"]["name"],
        }
        assert speakers[0] == live_server.accounts["company"]["name"], speakers  # the question came first
        assert "morning" in texts.lower() and "inspectors" in texts.lower(), texts
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        box = lines.first.bounding_box()
        assert box and box["height"] >= 44
        assert axe_violations(page) == []

        # pressing the candidate's last line plays the candidate's recording from that line
        line = page.locator(".line-seek", has_text="inspectors").last
        seek = float(line.get_attribute("data-seek") or "nan")
        assert seek > 1.0  # after the 1.5 s of silence the file starts with
        rec_id = line.get_attribute("data-recording")
        line.click()
        audio = page.locator(f'audio[data-recording-id="{rec_id}"]')
        audio.evaluate(
            "(a, at) => new Promise((ok, fail) => { const t0 = Date.now(); const check = () => "
            "(!a.paused && a.currentTime >= at && a.currentTime < at + 3) ? ok() : "
            "Date.now() - t0 > 15000 ? fail(new Error(`at ${a.currentTime}, paused ${a.paused}`)) : "
            "setTimeout(check, 50); check(); })",
            seek - 0.25,
        )
        expect(line).to_have_attribute("aria-current", "true")
        assert page.locator(f'audio:not([data-recording-id="{rec_id}"])').evaluate_all(
            "as => as.every(a => a.paused)"
        )

        # the candidate shares with the demo coach; the coach reads it; the candidate stops; the coach cannot
        coach_name = live_server.accounts["coach"]["name"]
        page.get_by_label("공유할 사람").select_option(label=f"{coach_name} (코치)")
        page.get_by_role("button", name="공유하기").click()
        expect(page.locator("p.notice-ok")).to_contain_text("공유했습니다")
        expect(page.locator(".share-list li")).to_have_count(1)
        log_in(coach, live_server, "coach")
        coach.goto(url)
        expect(coach.locator(".line-seek").first).to_be_visible()
        expect(coach.locator(".share-card")).to_have_count(0)
        page.locator(".share-list button").click()
        expect(page.locator(".share-list li")).to_have_count(0)
        response = coach.goto(url)
        assert response is not None and response.status == 404
    finally:
        phone.close()
        coach_ctx.close()
