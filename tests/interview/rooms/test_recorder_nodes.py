"""A room's recorder on one node, its participants on another, through Redis (#17).

Room recording is controlled by signaling messages, not by HTTP requests to the node that holds the
recorder: the node that receives the last ``consent: true`` starts a recorder that joins through its
own endpoint, and ``consent: false``, ``end`` or everyone leaving reach it as room messages, which the
Redis broker carries between nodes. Two real signaling servers share one Redis: both participants
are on node A, the recorder joins node B, records both, and a consent withdrawn on node A stops it.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from core.config import Settings, load_settings
from interview.rooms.recorder import RoomRecorder
from interview.signaling.options import SignalingOptions
from interview.signaling.server import SIGNALING, setup_signaling
from interview.signaling.tokens import RoomRole, issue_room_token
from interview.transcribe.types import Transcript
from tests.waiting import wait_until

from .test_recorder import Participant, _audio_facts, _received_audio
from .test_recorder import speech as speech  # the session's voices (a fixture)

pytestmark = [pytest.mark.slow, pytest.mark.redis]


async def _node(settings: Settings, prefix: str) -> TestServer:
    app = web.Application()
    setup_signaling(app, settings, options=SignalingOptions(redis_prefix=prefix))
    server = TestServer(app)
    await server.start_server()
    return server


class TwoNodes:
    """Two signaling nodes sharing one Redis: interviewers join node A, the recorder node B."""

    def __init__(self, settings: Settings, a: TestServer, b: TestServer, out: Path) -> None:
        self.settings, self.a, self.b = settings, a, b
        self.handed: list[tuple[int, Path]] = []
        self.recorder = RoomRecorder(
            self.url(b), self.token(0, RoomRole.RECORDER), 1, out, self._on_recording, record_video=False
        )

    @staticmethod
    def url(node: TestServer) -> str:
        return str(node.make_url("/ws/signal"))

    def token(self, uid: int, role: RoomRole) -> str:
        return issue_room_token(self.settings, user_id=uid, room_id=1, role=role, name=f"user{uid}")

    def person(self, uid: int, wav: Path) -> Participant:
        # interviewers (a company's two people): nobody waits in the lobby
        return Participant(self.url(self.a), self.token(uid, RoomRole.INTERVIEWER), wav, video=False)

    async def _on_recording(self, user_id: int, path: Path, transcript: Awaitable[Transcript | None]) -> None:
        self.handed.append((user_id, path))
        await transcript

    async def recording_both(
        self, first: Participant, second: Participant
    ) -> asyncio.Task[list[tuple[int, Path]]]:
        """Both people on node A, then the recorder on node B, until it records them both."""
        await first.start(self.http)
        await second.start(self.http)
        run = asyncio.create_task(self.recorder.run())
        await asyncio.wait_for(self.recorder.joined.wait(), 10)
        await wait_until(
            lambda: len(self.recorder.peers) == 2 and all(p.started for p in self.recorder.peers.values()),
            within=30,
            message="the recorder on node B did not start both peers on node A",
        )
        return run

    http: aiohttp.ClientSession


@pytest.fixture
async def nodes(tmp_path: Path, redis_url: str) -> AsyncIterator[TwoNodes]:
    settings = load_settings(data_dir=tmp_path, redis_url=redis_url)
    prefix = f"allwork:test-rec-nodes:{uuid.uuid4().hex[:8]}"
    a, b = await _node(settings, prefix), await _node(settings, prefix)
    two = TwoNodes(settings, a, b, tmp_path / "rec")
    try:
        async with aiohttp.ClientSession() as two.http:
            yield two
    finally:
        await two.recorder.stop()
        await a.close()
        await b.close()


async def test_consent_withdrawn_on_one_node_stops_the_recorder_on_the_other(
    nodes: TwoNodes, speech: dict[int, Path]
) -> None:
    # (With a candidate admitted just before the recorder joined node B, the recorder used to get a
    # second answer for one peer: the test below.)
    interviewer, candidate = nodes.person(1, speech[1]), nodes.person(2, speech[2])
    try:
        run = await nodes.recording_both(interviewer, candidate)
        await wait_until(
            lambda: _received_audio(nodes.recorder, 50), within=30, message="no audio reached the recorder"
        )
        # the control: a consent withdrawn on node A reaches the recorder on node B, which stops
        await candidate.send({"type": "consent", "agree": False})
        files = await asyncio.wait_for(run, 30)
    finally:
        await interviewer.leave()
        await candidate.leave()
    assert sorted(uid for uid, _ in files) == [1, 2]
    assert sorted(uid for uid, _ in nodes.handed) == [1, 2]
    for _uid, path in files:
        duration, rms = _audio_facts(path)
        assert duration >= 0.5 and rms > 0.005, (path, duration, rms)


async def test_a_peer_announced_twice_is_offered_once(nodes: TwoNodes, speech: dict[int, Path]) -> None:
    """A peer listed in the recorder's welcome and announced again (an admission relayed from the
    other node after the welcome) keeps its one connection: no second offer, no second answer."""
    first, second = nodes.person(1, speech[1]), nodes.person(2, speech[2])
    try:
        run = await nodes.recording_both(first, second)
        held = nodes.recorder.peers[second.peer_id]
        # the announcement an admission makes, delivered once more through node A's broker
        broker = nodes.a.app[SIGNALING].broker
        event = {
            "type": "peer_joined",
            "peer": second.peer_id,
            "user_id": 2,
            "role": "interviewer",
            "name": "user2",
            "resumed": False,
        }
        await broker.publish(1, {"kind": "deliver", "msg": event, "exclude": second.peer_id})
        await asyncio.sleep(1.5)
        assert nodes.recorder.peers[second.peer_id] is held and not held.done
        assert len(second.pcs) == 1, "the browser was offered a second connection"
        assert not run.done(), "the recorder stopped"
        await wait_until(
            lambda: _received_audio(nodes.recorder, 50), within=30, message="no audio reached the recorder"
        )
        await second.send({"type": "consent", "agree": False})
        files = await asyncio.wait_for(run, 30)
    finally:
        await first.leave()
        await second.leave()
    assert sorted(uid for uid, _ in files) == [1, 2]
