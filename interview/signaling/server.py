"""The signaling WebSocket endpoint: connect -> join -> receive loop -> disconnect in ``finally``.

The endpoint authenticates by room token only (see :mod:`.tokens`); the web layer issues
tokens after checking the logged-in user through the rooms service. Every message is parsed
by :func:`.protocol.parse_client`; a refused message gets a typed ``error`` reply and the
connection goes on. Floods and oversize frames close the connection with a named code;
nothing a client sends can break the room for the others. See docs/signaling.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from core.clock import utcnow
from core.config import Settings
from core.errors import AllWorkError
from interview.signaling import protocol as p
from interview.signaling.broker import Broker, Presence, left_event, make_broker
from interview.signaling.hub import Connection, Hub
from interview.signaling.options import SignalingHooks, SignalingOptions
from interview.signaling.tokens import RoomClaims, RoomRole, signing_key, verify_room_token
from interview.signaling.turn import ice_servers

log = logging.getLogger(__name__)


@dataclass
class Signaling:
    """Everything the endpoint needs, kept on the app under :data:`SIGNALING`."""

    settings: Settings
    options: SignalingOptions
    hooks: SignalingHooks
    broker: Broker
    hub: Hub
    sockets: weakref.WeakSet[web.WebSocketResponse] = field(default_factory=weakref.WeakSet)
    shutting_down: bool = False


SIGNALING = web.AppKey("signaling", Signaling)


def _close_code_for(exc: AllWorkError) -> int:
    if exc.code == "room_ended":
        return p.CLOSE_ROOM_ENDED
    if exc.code in ("token_invalid", "token_expired"):
        return p.CLOSE_AUTH_FAILED
    return p.CLOSE_FORBIDDEN


class _Refused(Exception):
    def __init__(self, code: str, close: int) -> None:
        self.code, self.close = code, close


async def _await_join(ws: web.WebSocketResponse, conn: Connection, sig: Signaling) -> p.JoinIn | None:
    """Read messages until a valid ``join``; None when the socket closes or time runs out."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + sig.options.join_timeout
    while True:
        left = deadline - loop.time()
        if left <= 0:
            conn.send(p.error("not_joined", detail="join timeout"))
            conn.close(p.CLOSE_JOIN_TIMEOUT, "join timeout")
            return None
        try:
            msg = await ws.receive(timeout=left)
        except TimeoutError:
            continue
        if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
            return None
        parsed = _parse(conn, msg.data, sig)
        if isinstance(parsed, p.JoinIn):
            return parsed
        if parsed is not None:
            conn.send(p.error("not_joined", ref=parsed.type))
        if conn.closing:
            return None


def _parse(conn: Connection, data: str | bytes, sig: Signaling) -> Any:
    """Rate-limit and parse one frame; reply to refused ones; None if refused."""
    if not conn.take_token():
        conn.strikes += 1
        if conn.strikes >= sig.options.flood_strikes:
            conn.close(p.CLOSE_FLOOD, "flood")
        else:
            conn.send(p.error("rate_limited"))
        return None
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    try:
        if size > sig.options.max_message_bytes:
            raise p.ProtocolError("too_big", f"{size} bytes")
        parsed = p.parse_client(data)
    except p.ProtocolError as exc:
        conn.strikes += 1
        if conn.strikes >= sig.options.flood_strikes:
            conn.close(p.CLOSE_FLOOD, "flood")
        else:
            conn.send(p.error(exc.code, ref=exc.ref, detail=exc.detail))
        return None
    conn.strikes = max(0, conn.strikes - 1)
    return parsed


async def _authenticate(join: p.JoinIn, sig: Signaling) -> RoomClaims:
    try:
        claims = verify_room_token(sig.settings, join.token, room_id=join.room)
        await sig.hooks.authorize(claims)
    except AllWorkError as exc:
        raise _Refused(exc.code if exc.code in p.ERROR_CODES else "forbidden", _close_code_for(exc)) from None
    if await sig.broker.is_ended(claims.room_id):
        raise _Refused("room_ended", p.CLOSE_ROOM_ENDED)
    return claims


async def _enter(conn: Connection, join: p.JoinIn, claims: RoomClaims, sig: Signaling) -> None:
    """Take a place in the room (or its lobby) and tell everyone who needs to know."""
    broker = sig.broker
    room, prefix = claims.room_id, f"u{claims.user_id}-"
    resumed = bool(join.resume and join.resume.startswith(prefix))
    conn.room, conn.user_id, conn.role, conn.name = room, claims.user_id, claims.role.value, claims.name
    conn.peer_id = join.resume if resumed and join.resume else prefix + secrets.token_hex(4)
    conn.admitted = claims.role != RoomRole.CANDIDATE or await broker.was_admitted(room, claims.user_id)
    me = Presence(conn.peer_id, conn.user_id, conn.role, conn.name, conn.admitted, conn=conn.uid)
    await broker.join(room, me)
    await sig.hub.attach(conn)
    if resumed:
        await broker.publish(room, {"kind": "kick", "peer": conn.peer_id, "keep": conn.uid})
    everyone = await broker.peers(room)
    others = [x for x in everyone if x.peer_id != conn.peer_id]
    welcome: dict[str, Any] = {
        "type": "welcome",
        "peer": conn.peer_id,
        "room": room,
        "user_id": conn.user_id,
        "role": conn.role,
        "admitted": conn.admitted,
        "resumed": resumed,
        "peers": [x.public() for x in others if x.admitted] if conn.admitted else [],
        "ice_servers": ice_servers(sig.settings, conn.user_id),
    }
    if conn.role == RoomRole.INTERVIEWER:
        welcome["lobby"] = [x.public() for x in others if not x.admitted]
    conn.send(welcome)
    public = Presence(conn.peer_id, conn.user_id, conn.role, conn.name).public()
    if conn.admitted:
        event = {"type": "peer_joined", **public, "resumed": resumed}
        await broker.publish(room, {"kind": "deliver", "msg": event, "exclude": conn.peer_id})
    else:
        conn.send({"type": "lobby_wait"})
        await broker.publish(
            room,
            {
                "kind": "deliver",
                "msg": {"type": "lobby_request", **public},
                "roles": [RoomRole.INTERVIEWER.value],
            },
        )


async def _handle(conn: Connection, msg: Any, sig: Signaling) -> None:
    """Act on one parsed message from a joined connection."""
    broker, room = sig.broker, conn.room
    kind = msg.type
    if kind == "ping":
        conn.send({"type": "pong", "id": msg.id, "ts": utcnow().timestamp()})
    elif kind == "join":
        conn.send(p.error("already_joined", ref=kind))
    elif kind == "leave":
        conn.close(p.CLOSE_LEFT, "left")
    elif not conn.admitted and kind != "consent":
        conn.send(p.error("in_lobby", ref=kind))  # a lobby peer talks to nobody but through consent
    elif kind == "media":
        event = {"type": "media", "from": conn.peer_id, "audio": msg.audio, "video": msg.video}
        await broker.publish(room, {"kind": "deliver", "msg": event, "exclude": conn.peer_id})
    elif kind in ("offer", "answer", "candidate"):
        target = await broker.peer(room, msg.to)
        if target is None or not target.admitted or target.peer_id == conn.peer_id:
            conn.send(p.error("peer_not_found", ref=kind, detail=msg.to))
            return
        out: dict[str, Any] = {"type": kind, "from": conn.peer_id}
        if kind == "candidate":
            out["candidate"] = msg.candidate.model_dump() if msg.candidate is not None else None
        else:
            out["sdp"] = msg.sdp
        await broker.publish(room, {"kind": "deliver", "msg": out, "to": msg.to})
    elif kind == "chat":
        out = {
            "type": "chat",
            "from": conn.peer_id,
            "name": conn.name,
            "text": msg.text,
            "ts": utcnow().timestamp(),
        }
        await broker.publish(room, {"kind": "deliver", "msg": out, "exclude": conn.peer_id})
    elif kind == "consent":
        await sig.hooks.on_consent(room, conn.user_id, msg.agree)
        out = {"type": "consent", "from": conn.peer_id, "user_id": conn.user_id, "agree": msg.agree}
        await broker.publish(room, {"kind": "deliver", "msg": out})
    elif kind in ("admit", "deny"):
        if conn.role != RoomRole.INTERVIEWER:
            conn.send(p.error("forbidden", ref=kind))
            return
        target = await broker.peer(room, msg.peer)
        if target is None or target.admitted:
            conn.send(p.error("peer_not_found", ref=kind, detail=msg.peer))
            return
        if kind == "admit":
            await sig.hooks.on_admit(room, conn.user_id, target.user_id)
            await broker.set_admitted(room, target.peer_id)
            await broker.publish(room, {"kind": "admit", "peer": target.peer_id})
            event = {"type": "peer_joined", **target.public(), "resumed": False}
            await broker.publish(room, {"kind": "deliver", "msg": event, "exclude": target.peer_id})
        else:
            await sig.hooks.on_deny(room, conn.user_id, target.user_id)
            await broker.publish(room, {"kind": "deny", "peer": target.peer_id})
    elif kind == "end":
        if conn.role != RoomRole.INTERVIEWER:
            conn.send(p.error("forbidden", ref=kind))
            return
        await sig.hooks.on_end(room, conn.user_id)
        await broker.mark_ended(room)
        await broker.publish(room, {"kind": "end", "by": conn.peer_id})


async def _depart(conn: Connection, sig: Signaling) -> None:
    """The ``finally`` of a joined connection: leave presence unless replaced or the node stops."""
    broker = sig.broker
    await sig.hub.detach(conn)
    if sig.shutting_down:
        return  # clients reconnect to another node; their presence expires there if they do not
    current = await broker.peer(conn.room, conn.peer_id, fresh=True)
    if current is not None and current.conn != conn.uid:
        return  # this peer reconnected on a newer connection
    if await broker.leave(conn.room, conn.peer_id):
        await broker.publish(conn.room, left_event(conn.peer_id, "left"))
    if not await broker.peers(conn.room):
        await sig.hooks.on_empty(conn.room)


async def signal_handler(request: web.Request) -> web.StreamResponse:
    sig = request.app[SIGNALING]
    opts = sig.options
    ws = web.WebSocketResponse(heartbeat=opts.ws_heartbeat, max_msg_size=opts.max_message_bytes * 4)
    await ws.prepare(request)
    sig.sockets.add(ws)
    conn = Connection(ws, queue_size=opts.send_queue, rate=opts.rate, burst=opts.burst)
    joined = False
    try:
        join = await _await_join(ws, conn, sig)
        if join is None:
            return ws
        try:
            claims = await _authenticate(join, sig)
        except _Refused as exc:
            conn.send(p.error(exc.code, ref="join"))
            conn.close(exc.close, exc.code)
            return ws
        await _enter(conn, join, claims, sig)
        joined = True
        async for frame in ws:
            if frame.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                continue
            parsed = _parse(conn, frame.data, sig)
            if parsed is None:
                continue
            try:
                await _handle(conn, parsed, sig)
            except AllWorkError as exc:
                conn.send(p.error(exc.code if exc.code in p.ERROR_CODES else "forbidden", ref=parsed.type))
            except Exception:  # one bad turn must not end the connection, nor the room
                log.exception("peer %s: handling %s failed", conn.peer_id, parsed.type)
                conn.send(p.error("internal", ref=parsed.type))
            if conn.closing:
                break
        if ws.exception() is not None:
            log.info("peer %s: socket error %s", conn.peer_id, ws.exception())
    finally:
        try:
            if joined:
                await asyncio.shield(_depart(conn, sig))
        except Exception:
            log.exception("peer %s: leaving the room failed", conn.peer_id)
        finally:
            await conn.finish()
            sig.sockets.discard(ws)
    return ws


def setup_signaling(
    app: web.Application,
    settings: Settings,
    *,
    path: str = "/ws/signal",
    options: SignalingOptions | None = None,
    hooks: SignalingHooks | None = None,
    broker: Broker | None = None,
) -> None:
    """Add the WebSocket route, the broker's ``cleanup_ctx`` and the GOING_AWAY shutdown."""
    opts = options or SignalingOptions()
    signing_key(settings)  # read the secret now, not on the event loop

    async def broker_ctx(app: web.Application) -> AsyncIterator[None]:
        b = broker or make_broker(
            settings,
            prefix=opts.redis_prefix,
            presence_ttl=opts.presence_ttl,
            heartbeat=opts.presence_heartbeat,
        )
        await b.start()
        app[SIGNALING] = Signaling(settings, opts, hooks or SignalingHooks(), b, Hub(b))
        try:
            yield
        finally:
            await b.close()

    async def on_shutdown(app: web.Application) -> None:
        sig = app.get(SIGNALING)
        if sig is None:
            return
        sig.shutting_down = True
        sig.hub.stop_writing()

        async def close(ws: web.WebSocketResponse) -> None:
            with contextlib.suppress(Exception):
                await ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown")

        sockets = list(sig.sockets)
        if sockets:
            await asyncio.wait([asyncio.create_task(close(ws)) for ws in sockets], timeout=3.0)

    app.router.add_get(path, signal_handler)
    app.cleanup_ctx.append(broker_ctx)
    app.on_shutdown.append(on_shutdown)
