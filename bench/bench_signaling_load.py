"""Signaling under the traffic of real interviews (docs/benchmarks-signaling.md, "Traffic model").

Starts real server processes (``interview.signaling.standalone``) on loopback and drives them
from ``--workers`` load-generator processes, each with its own event loop and a share of the
rooms. Every room is an interviewer and a candidate (two WebSockets) that

1. join within ``--join-window`` seconds (the join storm): the interviewer first, the candidate
   0.5-5 s later through the lobby (``lobby_request`` -> ``admit``); then the interviewer
   offers, the candidate answers, each trickles 5 candidates and the end-of-candidates ``null``,
   and each sends its mute/camera state;
2. talk for ``--steady`` seconds: a ``ping`` every 15 s per connection, a mute or camera change
   every 120 s per connection, a chat line every 90 s per room and an ICE restart (offer,
   answer, 2 candidates each way) every 600 s per room, each at random times;
3. live through a reconnect storm: one node is killed (SIGKILL) and its clients reconnect with the
   back-off of ``signaling-client.js`` (0.5 s doubling to 8 s, jittered) to the surviving node,
   rejoining with ``resume`` (one node: the node is started again on the same port).

Modes: ``one`` (1 node, in-process broker), ``cross`` (2 nodes through Redis, each room's two
people on different nodes: the worst case), ``mixed`` (2 nodes, each person on a node of its own
chance, about half the rooms across nodes). Relay latency is the time from one client's send to
the other client's receive (both in the same worker process, one clock). Prints JSON
(``--json``: only the JSON) with ``os.getloadavg()``, each process's CPU and the workers'
event-loop lag, so a run says whether the servers, Redis or the load generator were the limit.

    .venv/bin/python bench/bench_signaling_load.py --mode cross --rooms 1000 --workers 4
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import multiprocessing as mp
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.config import load_settings  # noqa: E402
from interview.signaling.tokens import RoomRole, issue_room_token  # noqa: E402

SECRET = "bench-secret-" + "b" * 40
RELAYED = ("offer", "answer", "candidate", "media", "chat")
PING_EVERY, MEDIA_EVERY, CHAT_EVERY, RESTART_EVERY = 15.0, 120.0, 90.0, 600.0


def raise_fd_limit(need: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        soft = min(hard, max(need, soft)) if hard != resource.RLIM_INFINITY else need
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proc_stat(pid: int) -> tuple[int, float]:
    """(RSS KiB, CPU seconds) of a process."""
    rss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return rss, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return round(s[min(len(s) - 1, int(q * len(s)))], 2)


# --- server nodes ------------------------------------------------------------------------------


class Node:
    def __init__(self, env: dict[str, str], prefix: str, root: Path, port: int | None = None) -> None:
        self.env, self.prefix, self.root = env, prefix, root
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/ws/signal"
        self.start()

    def start(self) -> None:
        cmd = [sys.executable, "-m", "interview.signaling.standalone", "--port", str(self.port)]
        cmd += ["--prefix", self.prefix]
        env = {**os.environ, **self.env, "PYTHONPATH": str(self.root)}
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("signaling node did not start") from None
                time.sleep(0.05)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


# --- load generator (one per worker process) ---------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.lat: dict[str, list[float]] = collections.defaultdict(list)
        self.sent: collections.Counter[str] = collections.Counter()
        self.relayed: collections.Counter[str] = collections.Counter()
        self.ping_rtt: list[float] = []
        self.errors: collections.Counter[str] = collections.Counter()
        self.out_of_order = 0
        self.joined: list[float] = []
        self.rejoined: list[float] = []
        self.dropped = 0
        self.peer_left = 0


class Person:
    def __init__(self, room: Room, role: RoomRole, user_id: int, url: str) -> None:
        self.room, self.role, self.user_id, self.url = room, role, user_id, url
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.peer_id = ""
        self.inside = False  # admitted and welcomed
        self.expect: dict[str, collections.deque[tuple[float, int]]] = collections.defaultdict(
            collections.deque
        )
        self.last_seq: dict[str, int] = {}
        self.reader: asyncio.Task[None] | None = None

    @property
    def other(self) -> Person:
        a, b = self.room.people
        return b if self is a else a

    async def connect(self, resume: bool = False) -> None:
        w = self.room.worker
        self.ws = await w.http.ws_connect(self.url, max_msg_size=0)
        tok = issue_room_token(
            w.settings, user_id=self.user_id, room_id=self.room.room_id, role=self.role, name="벤치"
        )
        msg: dict[str, Any] = {"type": "join", "token": tok, "room": self.room.room_id}
        if resume and self.peer_id:
            msg["resume"] = self.peer_id
        await self.ws.send_str(json.dumps(msg))
        self.reader = asyncio.create_task(self.read(self.ws))

    def send(self, msg: dict[str, Any], kind: str | None = None, seq: int = 0) -> None:
        """Send a relayed message, remembering when, for the other side's receipt."""
        if self.ws is None or self.ws.closed or not self.inside or not self.other.inside:
            return
        kind = kind or msg["type"]
        self.other.expect[kind].append((time.monotonic(), seq))
        self.room.worker.stats.sent[self.room.worker.phase] += 1
        self.room.worker.fire(self.ws.send_str(json.dumps(msg)))

    async def read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        st = self.room.worker.stats
        async for frame in ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                continue
            msg = json.loads(frame.data)
            kind = msg["type"]
            now = time.monotonic()
            if kind in RELAYED:
                q = self.expect[kind]
                if q:
                    t0, seq = q.popleft()
                    st.lat[self.room.worker.phase].append((now - t0) * 1000)
                    st.relayed[self.room.worker.phase] += 1
                    got = self.seq_of(msg)
                    if got is not None:
                        if got < self.last_seq.get(kind, -1):
                            st.out_of_order += 1
                        self.last_seq[kind] = got
                await self.room.on_relayed(self, msg)
            elif kind == "pong":
                st.ping_rtt.append((now - msg["id"] / 1e6) * 1000)
            elif kind == "welcome":
                self.peer_id = msg["peer"]
                if msg["admitted"]:
                    self.entered(msg.get("resumed", False))
                for p in msg.get("lobby", []):
                    self.fire({"type": "admit", "peer": p["peer"]})
            elif kind == "admitted":
                self.entered(False)
            elif kind == "lobby_request":
                self.fire({"type": "admit", "peer": msg["peer"]})
            elif kind == "peer_joined":
                if self.role == RoomRole.INTERVIEWER and not msg.get("resumed"):
                    self.room.negotiate_soon()
            elif kind == "peer_left":
                st.peer_left += 1
            elif kind == "error":
                st.errors[msg["code"]] += 1
        self.inside = False
        if not self.room.worker.stopping and ws is self.ws:
            st.dropped += 1
            self.room.worker.fire(self.reconnect())

    def fire(self, msg: Any) -> None:
        if isinstance(msg, dict):
            if self.ws is not None and not self.ws.closed:
                self.room.worker.fire(self.ws.send_str(json.dumps(msg)))
        else:
            self.room.worker.fire(msg)

    def entered(self, resumed: bool) -> None:
        self.inside = True
        w = self.room.worker
        (w.stats.rejoined if self.room.dropped_once else w.stats.joined).append(time.monotonic())
        if self.room.dropped_once:
            self.room.worker.fire(self.room.hello(self))  # the room goes on: one line each way
        else:
            self.room.worker.fire(self.room.hello(self, media=True))

    @staticmethod
    def seq_of(msg: dict[str, Any]) -> int | None:
        if msg["type"] in ("offer", "answer"):
            return int(msg["sdp"].split("o=- ", 1)[1].split(" ", 1)[0])
        if msg["type"] == "candidate" and msg["candidate"] and msg["candidate"]["candidate"]:
            return int(msg["candidate"]["candidate"].split(":", 1)[1].split(" ", 1)[0])
        if msg["type"] == "chat":
            return int(msg["text"].rsplit(" ", 1)[1])
        return None

    async def reconnect(self) -> None:
        """signaling-client.js: 0.5 s doubling to 8 s, delay = base/2 + random * base/2."""
        self.room.dropped_once = True
        w = self.room.worker
        self.url = w.urls[0]  # the surviving node answers behind the balancer
        for attempt in range(20):
            base = min(8.0, 0.5 * 2**attempt)
            await asyncio.sleep(base / 2 + random.random() * base / 2)
            try:
                await self.connect(resume=True)
                return
            except (aiohttp.ClientError, OSError):
                continue


class Room:
    def __init__(self, worker: Worker, room_id: int, urls: tuple[str, str]) -> None:
        self.worker, self.room_id = worker, room_id
        self.people = (
            Person(self, RoomRole.INTERVIEWER, room_id * 10 + 1, urls[0]),
            Person(self, RoomRole.CANDIDATE, room_id * 10 + 2, urls[1]),
        )
        self.seq = 0
        self.dropped_once = False
        self.negotiated = False

    def next(self) -> int:
        self.seq += 1
        return self.seq

    async def run(self, start: float, steady_until: float) -> None:
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        interviewer, candidate = self.people
        await interviewer.connect()
        await asyncio.sleep(random.uniform(0.5, 5.0))
        await candidate.connect()
        while not self.negotiated and time.monotonic() < steady_until:  # noqa: ASYNC110 (a deadline too)
            await asyncio.sleep(0.5)
        # steady: each person's own timers
        await asyncio.gather(*(self.talk(p, steady_until) for p in self.people), self.restarts(steady_until))

    def negotiate_soon(self) -> None:
        self.worker.fire(self.negotiate(4 + 1))

    async def negotiate(self, candidates: int) -> None:
        a, b = self.people
        await self.both_inside()
        a.send({"type": "offer", "to": b.peer_id, "sdp": sdp(self.next())})
        for _ in range(candidates):
            a.send({"type": "candidate", "to": b.peer_id, "candidate": cand(self.next())})
        a.send({"type": "candidate", "to": b.peer_id, "candidate": None})
        self.negotiated = True

    async def on_relayed(self, me: Person, msg: dict[str, Any]) -> None:
        if msg["type"] == "offer" and me.role == RoomRole.CANDIDATE:
            other = me.other.peer_id
            n = 5 if self.seq < 20 else 2
            me.send({"type": "answer", "to": other, "sdp": sdp(self.next())})
            for _ in range(n):
                me.send({"type": "candidate", "to": other, "candidate": cand(self.next())})
            me.send({"type": "candidate", "to": other, "candidate": None})

    async def both_inside(self, within: float = 10.0) -> bool:
        deadline = time.monotonic() + within
        while not all(p.inside for p in self.people):
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    async def hello(self, me: Person, media: bool = False) -> None:
        if await self.both_inside():
            if media:
                me.send({"type": "media", "audio": True, "video": True})
            else:
                me.send({"type": "chat", "text": f"다시 연결됐습니다 {self.next()}"})

    async def talk(self, me: Person, until: float) -> None:
        rng = random.Random(me.user_id)
        timers = {
            "ping": time.monotonic() + rng.uniform(0, PING_EVERY),
            "media": time.monotonic() + rng.expovariate(1 / MEDIA_EVERY),
            "chat": time.monotonic() + rng.expovariate(2 / CHAT_EVERY),
        }
        audio = True
        while True:
            kind, at = min(timers.items(), key=lambda kv: kv[1])
            if at >= until:
                return
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            if kind == "ping":
                me.fire({"type": "ping", "id": int(time.monotonic() * 1e6)})
                timers["ping"] += PING_EVERY
            elif kind == "media":
                audio = not audio
                me.send({"type": "media", "audio": audio, "video": True})
                timers["media"] += rng.expovariate(1 / MEDIA_EVERY)
            else:
                me.send({"type": "chat", "text": f"들리세요? {self.next()}"})
                timers["chat"] += rng.expovariate(2 / CHAT_EVERY)

    async def restarts(self, until: float) -> None:
        rng = random.Random(self.room_id)
        at = time.monotonic() + rng.expovariate(1 / RESTART_EVERY)
        while at < until:
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            await self.negotiate(2)
            at += rng.expovariate(1 / RESTART_EVERY)


def sdp(seq: int) -> str:
    return (
        f"v=0\r\no=- {seq} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n"
        "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\n"
    )


def cand(seq: int) -> dict[str, Any]:
    return {
        "candidate": f"candidate:{seq} 1 udp 2122260223 192.0.2.10 5{seq % 10000:04d} typ host",
        "sdpMid": "0",
    }


class Worker:
    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.urls: list[str] = plan["urls"]
        self.settings = load_settings(data_dir=Path("/tmp"), secret_key=SECRET)
        self.stats = Stats()
        self.phase = "join"
        self.stopping = False
        self.tasks: set[asyncio.Task[Any]] = set()
        self.lag: list[float] = []

    def fire(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.stats.errors[type(task.exception()).__name__] += 1

    async def ticker(self) -> None:
        while not self.stopping:
            t = time.monotonic()
            await asyncio.sleep(0.05)
            self.lag.append((time.monotonic() - t - 0.05) * 1000)

    async def run(self) -> dict[str, Any]:
        p = self.plan
        self.fire(self.ticker())
        conn = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=conn) as self.http:
            rooms = [Room(self, rid, tuple(urls)) for rid, urls in p["rooms"]]
            rng = random.Random(p["index"])
            starts = [p["t0"] + rng.uniform(0, p["join_window"]) for _ in rooms]
            steady_until = p["t0"] + p["join_window"] + 5 + p["steady"]
            runs = [asyncio.create_task(r.run(s, steady_until)) for r, s in zip(rooms, starts, strict=True)]
            await asyncio.sleep(max(0.0, p["t0"] + p["join_window"] + 5 - time.monotonic()))
            self.phase = "steady"
            await asyncio.gather(*runs, return_exceptions=True)
            self.phase = "storm"
            await asyncio.sleep(max(0.0, p["end"] - time.monotonic()))
            self.stopping = True
            for r in rooms:
                for person in r.people:
                    if person.ws is not None:
                        await person.ws.close()
            for t in list(self.tasks):
                t.cancel()
        ru = resource.getrusage(resource.RUSAGE_SELF)
        st = self.stats
        return {
            "lat": dict(st.lat),
            "sent": dict(st.sent),
            "relayed": dict(st.relayed),
            "ping_rtt": st.ping_rtt,
            "errors": dict(st.errors),
            "out_of_order": st.out_of_order,
            "joined": st.joined,
            "rejoined": st.rejoined,
            "dropped": st.dropped,
            "peer_left": st.peer_left,
            "cpu_s": ru.ru_utime + ru.ru_stime,
            "lag_p99_ms": pct(self.lag, 0.99),
            "lag_max_ms": pct(self.lag, 1.0),
        }


def worker_main(plan: dict[str, Any], out: Any) -> None:
    raise_fd_limit(4 * len(plan["rooms"]) + 256)
    try:
        out.put(asyncio.run(Worker(plan).run()))
    except BaseException as exc:  # the parent reports it
        out.put({"failed": repr(exc)})


# --- orchestration -----------------------------------------------------------------------------


def layout(mode: str, rooms: int, urls: list[str]) -> list[tuple[int, tuple[str, str]]]:
    out = []
    rng = random.Random(17)
    for i in range(rooms):
        rid = 1000 + i
        if mode == "one":
            pair = (urls[0], urls[0])
        elif mode == "cross":
            pair = (urls[i % 2], urls[(i + 1) % 2])
        else:
            pair = (rng.choice(urls), rng.choice(urls))
        out.append((rid, pair))
    return out


def redis_counters(url: str) -> tuple[float, int]:
    """Redis's CPU seconds and commands processed so far (the whole server: run it alone)."""
    import redis

    r = redis.Redis.from_url(url)
    try:
        cpu: Any = r.info("cpu")
        stats: Any = r.info("stats")
        seconds = float(cpu["used_cpu_sys"]) + float(cpu["used_cpu_user"])
        return seconds, int(stats["total_commands_processed"])
    finally:
        r.close()


def run(args: argparse.Namespace) -> dict[str, Any]:
    fd = raise_fd_limit(4 * args.rooms + 512)
    prefix = f"bench:sig:{uuid.uuid4().hex[:8]}"
    env = {"ALLWORK_SECRET_KEY": SECRET}
    if args.mode != "one":
        env["ALLWORK_REDIS_URL"] = args.redis
    root = Path(args.server_root).resolve()
    nodes = [Node(env, prefix, root) for _ in range(1 if args.mode == "one" else 2)]
    urls = [n.url for n in nodes]
    pids = [n.proc.pid for n in nodes]
    try:
        before = [proc_stat(pid) for pid in pids]
        rcpu0, rcmd0 = redis_counters(args.redis) if args.mode != "one" else (0.0, 0)
        t0 = time.monotonic() + 3.0
        kill_at = t0 + args.join_window + 5 + args.steady + 1
        end = kill_at + args.storm
        plan_rooms = layout(args.mode, args.rooms, urls)
        outq: Any = mp.get_context("fork").Queue()
        procs = []
        for w in range(args.workers):
            plan = {
                "index": w,
                "urls": urls,
                "rooms": plan_rooms[w :: args.workers],
                "t0": t0,
                "join_window": args.join_window,
                "steady": args.steady,
                "end": end,
            }
            pr = mp.get_context("fork").Process(target=worker_main, args=(plan, outq))
            pr.start()
            procs.append(pr)
        time.sleep(max(0.0, t0 + args.join_window + 5 - time.monotonic()))
        joined_stat = [proc_stat(pid) for pid in pids]
        load_joined = os.getloadavg()
        time.sleep(max(0.0, kill_at - time.monotonic()))
        steady_stat = [proc_stat(pid) for pid in pids]
        rcpu1, rcmd1 = redis_counters(args.redis) if args.mode != "one" else (0.0, 0)
        cpu_end = [proc_stat(pid)[1] for pid in pids]
        victim = nodes[-1]
        killed = time.monotonic()
        if not args.no_storm:
            victim.kill()
            if args.mode == "one":
                victim.start()
        results = [outq.get(timeout=end - time.monotonic() + 120) for _ in procs]
        for pr in procs:
            pr.join(30)
    finally:
        for n in nodes:
            n.stop()
        if args.mode != "one":
            import redis

            r = redis.Redis.from_url(args.redis)
            keys = list(r.scan_iter(match=f"{prefix}:*"))
            if keys:
                r.delete(*keys)
            r.close()
    failed = [r["failed"] for r in results if "failed" in r]
    if failed:
        raise RuntimeError(f"load generator failed: {failed}")
    lat: dict[str, list[float]] = collections.defaultdict(list)
    sent: collections.Counter[str] = collections.Counter()
    relayed: collections.Counter[str] = collections.Counter()
    errors: collections.Counter[str] = collections.Counter()
    for r in results:
        for k, v in r["lat"].items():
            lat[k] += v
        sent.update(r["sent"])
        relayed.update(r["relayed"])
        errors.update(r["errors"])
    joined = sorted(t for r in results for t in r["joined"])
    rejoined = sorted(t for r in results for t in r["rejoined"])
    dropped = sum(r["dropped"] for r in results)
    conns = 2 * args.rooms
    steady_s = kill_at - (t0 + args.join_window + 5)
    out: dict[str, Any] = {
        "mode": args.mode,
        "rooms": args.rooms,
        "connections": conns,
        "workers": args.workers,
        "fd_soft_limit": fd,
        "server_root": str(root),
        "loadavg_after_joins": [round(x, 2) for x in load_joined],
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        "joined_connections": len(joined),
        "phases": {},
        "ping_rtt_p99_ms": pct([x for r in results for x in r["ping_rtt"]], 0.99),
        "errors": dict(errors),
        "out_of_order": sum(r["out_of_order"] for r in results),
        "peer_left_seen": sum(r["peer_left"] for r in results),
        "rss_kib_per_connection": round(
            sum(j[0] - b[0] for j, b in zip(joined_stat, before, strict=True)) / conns, 1
        ),
        "server_cpu_percent_steady": [
            round(100 * (s[1] - j[1]) / steady_s, 1) for s, j in zip(steady_stat, joined_stat, strict=True)
        ],
        "redis_cpu_percent": round(100 * (rcpu1 - rcpu0) / (kill_at - t0), 1) if rcpu0 else None,
        # load-independent cost figures: up to the kill, per message relayed in that time
        "redis_commands_per_relayed_message": (
            round((rcmd1 - rcmd0) / max(1, relayed["join"] + relayed["steady"]), 2) if rcmd0 else None
        ),
        "server_cpu_ms_per_relayed_message": round(
            1000
            * sum(c - b[1] for c, b in zip(cpu_end, before, strict=True))
            / max(1, relayed["join"] + relayed["steady"]),
            3,
        ),
        "generator_cpu_percent": [round(100 * r["cpu_s"] / (end - t0 + 3), 1) for r in results],
        "generator_loop_lag_p99_ms": [r["lag_p99_ms"] for r in results],
    }
    for phase in ("join", "steady", "storm"):
        v = lat.get(phase, [])
        out["phases"][phase] = {
            "sent": sent[phase],
            "relayed": relayed[phase],
            "p50_ms": pct(v, 0.5),
            "p95_ms": pct(v, 0.95),
            "p99_ms": pct(v, 0.99),
            "max_ms": pct(v, 1.0),
        }
    if not args.no_storm:
        out["storm"] = {
            "dropped_connections": dropped,
            "rejoined_connections": len(rejoined),
            "all_rejoined_after_s": round(rejoined[-1] - killed, 2)
            if rejoined and len(rejoined) >= dropped
            else None,
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=("one", "cross", "mixed"), default="cross")
    ap.add_argument("--rooms", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=max(1, min(4, (os.cpu_count() or 2))))
    ap.add_argument("--join-window", type=float, default=60.0, help="seconds over which every room starts")
    ap.add_argument("--steady", type=float, default=60.0, help="seconds of talk after the joins")
    ap.add_argument("--storm", type=float, default=20.0, help="seconds given to the reconnect storm")
    ap.add_argument("--no-storm", action="store_true")
    ap.add_argument("--redis", default=os.environ.get("ALLWORK_TEST_REDIS", "redis://127.0.0.1:6379/0"))
    ap.add_argument("--server-root", default=str(ROOT), help="the tree whose server runs (compare commits)")
    ap.add_argument("--json", action="store_true", help="print only the JSON")
    args = ap.parse_args()
    result = run(args)
    if not args.json:
        print(f"load average {os.getloadavg()} on {os.cpu_count()} cores", file=sys.stderr)
    print(json.dumps(result, indent=None if args.json else 2, ensure_ascii=False))


if __name__ == "__main__":
    main()
