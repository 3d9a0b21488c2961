"""Signaling load: N rooms x 2 WebSocket participants negotiating like browsers.

Starts real server processes (``interview.signaling.standalone``) on loopback: one node with
the in-process broker, then two nodes sharing Redis with each room's participants on
different nodes. Every room repeats a negotiation (offer, answer, 4 trickled candidates each
way) once per second, rooms spread over the second; relay latency is the time from a
client's send to the other client's receive. Reports p50/p99 per load level, the most
rooms with p99 < 50 ms, and the server's memory per connection. Prints JSON.

    .venv/bin/python bench/bench_signaling.py --levels 25,50,100,200 \
        --seconds 4
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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


def sdp(seq: int) -> str:
    return (
        f"v=0\r\no=- {seq} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n"
        "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\n"
    )


def candidate(seq: int) -> dict[str, Any]:
    return {
        "candidate": f"candidate:{seq} 1 udp 2122260223 192.0.2.10 5{seq % 10000:04d} typ host",
        "sdpMid": "0",
    }


def seq_of(msg: dict[str, Any]) -> int:
    if msg["type"] == "candidate":
        return int(msg["candidate"]["candidate"].split(":", 1)[1].split(" ", 1)[0])
    return int(msg["sdp"].split("o=- ", 1)[1].split(" ", 1)[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Node:
    def __init__(self, env: dict[str, str], prefix: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/ws/signal"
        cmd = [sys.executable, "-m", "interview.signaling.standalone", "--port", str(self.port)]
        cmd += ["--prefix", prefix, "--rate", "200", "--burst", "400"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("signaling node did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


class Stats:
    def __init__(self) -> None:
        self.sent: dict[int, float] = {}
        self.lat: list[float] = []
        self.seq = 0
        self.errors = 0

    def next(self) -> int:
        self.seq += 1
        self.sent[self.seq] = time.perf_counter()
        return self.seq

    def got(self, seq: int) -> None:
        t0 = self.sent.pop(seq, None)
        if t0 is not None:
            self.lat.append((time.perf_counter() - t0) * 1000)


async def reader(ws: aiohttp.ClientWebSocketResponse, stats: Stats, inbox: asyncio.Queue) -> None:
    async for frame in ws:
        msg = json.loads(frame.data)
        if msg["type"] in ("offer", "answer", "candidate"):
            stats.got(seq_of(msg))
            await inbox.put(msg)
        elif msg["type"] == "error":
            stats.errors += 1


async def room(http: aiohttp.ClientSession, urls: tuple[str, str], room_id: int, settings: Any,
               stats: Stats, stop: float, ready: asyncio.Barrier) -> None:  # fmt: skip
    socks, inboxes, peers, tasks = [], [], [], []
    for i, url in enumerate(urls):
        ws = await http.ws_connect(url, max_msg_size=0)
        tok = issue_room_token(
            settings, user_id=room_id * 10 + i + 1, room_id=room_id, role=RoomRole.INTERVIEWER
        )
        await ws.send_str(json.dumps({"type": "join", "token": tok, "room": room_id}))
        welcome = json.loads((await ws.receive(timeout=30)).data)
        peers.append(welcome["peer"])
        socks.append(ws)
    for ws in socks:
        q: asyncio.Queue = asyncio.Queue()
        inboxes.append(q)
        tasks.append(asyncio.create_task(reader(ws, stats, q)))
    await ready.wait()
    await asyncio.sleep((room_id % 97) / 97)  # rooms negotiate at different moments, as in real life
    a, b = socks
    try:
        while time.perf_counter() < stop:
            began = time.perf_counter()
            await a.send_str(json.dumps({"type": "offer", "to": peers[1], "sdp": sdp(stats.next())}))
            await asyncio.wait_for(inboxes[1].get(), 10)
            await b.send_str(json.dumps({"type": "answer", "to": peers[0], "sdp": sdp(stats.next())}))
            await asyncio.wait_for(inboxes[0].get(), 10)
            for _ in range(4):
                await a.send_str(
                    json.dumps({"type": "candidate", "to": peers[1], "candidate": candidate(stats.next())})
                )
                await b.send_str(
                    json.dumps({"type": "candidate", "to": peers[0], "candidate": candidate(stats.next())})
                )
            for _ in range(4):
                await asyncio.wait_for(inboxes[1].get(), 10)
                await asyncio.wait_for(inboxes[0].get(), 10)
            await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - began)))
    finally:
        for t in tasks:
            t.cancel()
        for ws in socks:
            await ws.close()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return round(s[min(len(s) - 1, int(q * len(s)))], 2)


async def level(
    urls: tuple[str, str], n: int, seconds: float, settings: Any, base: int, pids: list[int]
) -> dict:
    stats = Stats()
    ready = asyncio.Barrier(n + 1)
    rss0 = sum(rss_kib(p) for p in pids)
    conn = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=conn) as http:
        stop = time.perf_counter() + 3600
        tasks = [
            asyncio.create_task(room(http, urls, base + i, settings, stats, stop, ready)) for i in range(n)
        ]
        # all joined: measure memory, then start the clock
        while ready.n_waiting < n:
            await asyncio.sleep(0.05)
            if any(t.done() for t in tasks):
                for t in tasks:
                    if t.done() and t.exception():
                        raise t.exception()  # type: ignore[misc]
        rss1 = sum(rss_kib(p) for p in pids)
        await ready.wait()
        await asyncio.sleep(seconds)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "rooms": n,
        "connections": 2 * n,
        "messages": len(stats.lat),
        "p50_ms": pct(stats.lat, 0.50),
        "p99_ms": pct(stats.lat, 0.99),
        "max_ms": pct(stats.lat, 1.0),
        "errors": stats.errors,
        "rss_kib_per_connection": round((rss1 - rss0) / (2 * n), 1),
    }


async def scenario(name: str, nodes: list[Node], levels: list[int], seconds: float, settings: Any) -> dict:
    urls = (nodes[0].url, nodes[-1].url)
    pids = [n.proc.pid for n in nodes]
    results, base = [], 1000
    for n in levels:
        r = await level(urls, n, seconds, settings, base, pids)
        base += n + 10
        results.append(r)
        print(json.dumps({"scenario": name, **r}), file=sys.stderr, flush=True)
        if r["p99_ms"] > 50:
            break
    ok = [r["rooms"] for r in results if r["p99_ms"] < 50]
    return {"scenario": name, "levels": results, "max_rooms_p99_under_50ms": max(ok) if ok else 0}


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--levels", default="25,50,100,200")
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--redis", default=os.environ.get("ALLWORK_TEST_REDIS", "redis://127.0.0.1:6379/0"))
    ap.add_argument("--skip-redis", action="store_true")
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    settings = load_settings(data_dir=Path("/tmp"), secret_key=SECRET)
    prefix = f"bench:sig:{uuid.uuid4().hex[:8]}"
    out: dict[str, Any] = {
        "machine": f"{os.cpu_count()} cores",
        "seconds_per_level": args.seconds,
        "scenarios": [],
    }
    one = Node({"ALLWORK_SECRET_KEY": SECRET}, prefix)
    try:
        out["scenarios"].append(
            await scenario("one node, in-process broker", [one], levels, args.seconds, settings)
        )
    finally:
        one.stop()
    if not args.skip_redis:
        env = {"ALLWORK_SECRET_KEY": SECRET, "ALLWORK_REDIS_URL": args.redis}
        a, b = Node(env, prefix), Node(env, prefix)
        try:
            result = await scenario(
                "two nodes via Redis, peers on different nodes", [a, b], levels, args.seconds, settings
            )
            out["scenarios"].append(result)
        finally:
            a.stop()
            b.stop()
        import redis

        r = redis.Redis.from_url(args.redis)
        keys = list(r.scan_iter(match=f"{prefix}:*"))
        if keys:
            r.delete(*keys)
        r.close()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
