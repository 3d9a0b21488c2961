"""Practice answers on several server nodes: a take's start and stop reach the node that holds its peer.

A practice page's recorder peer (:class:`~interview.practice.recorder.PracticeRecorder`) lives in the
one process that answered the page's offer, but a load balancer may send the next ``POST`` of the
same page to any node. With Redis configured, each node

- registers ``peer <session id> -> <node id>`` under a key with a short TTL when it answers an offer,
  and refreshes the keys of the peers it holds while they live (a node that dies stops refreshing;
  its keys expire);
- listens on its own channel for commands (start or stop a take, with the senior's id, the question
  index or take id and a request id) and runs them with the same
  :meth:`~PracticeRecorder.start_take` / :meth:`~PracticeRecorder.stop_take` as a local request,
  which check the peer's senior again, and replies with the take or the error (code, message id,
  status) on the sender's channel;
- sends a command to the owner when the owner is another node, and answers the browser with what
  came back, the owner's own error included, as if the owner had answered.

The receiving node checks that the senior owns the session before anything is sent. An owner that
is gone (nobody listens on its channel) is a clear error at once; one that does not answer within
``timeout`` seconds is the same error. Without Redis nothing here runs and every request is local.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.accounts import User, get_user
from core.db import Sessions
from core.errors import AllWorkError
from core.i18n import N_
from interview.practice import service
from interview.practice.errors import NotConnected
from interview.practice.recorder import PracticeRecorder

log = logging.getLogger(__name__)

#: a peer's key lives this long unless its node refreshes it (every third of it)
PEER_TTL_S = 15.0
#: how long a node waits for the owner's reply to a start or stop
CALL_TIMEOUT_S = 8.0

#: refresh a key only while it still names this node (a newer offer on another node wins)
_REFRESH = """
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class OwnerUnreachable(AllWorkError):
    """The node holding the page's recording connection is gone or does not answer."""

    code = "recorder_node_unreachable"
    message = N_(
        "The server holding your recording connection is not answering. "
        "Please reload the page and try again; your earlier answers are kept."
    )
    status = 503


class RemoteError(AllWorkError):
    """An error raised on the owner node, carried back as it was (code, message id, status, fields)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(
            str(data.get("message") or AllWorkError.message),
            fields={str(k): str(v) for k, v in dict(data.get("fields") or {}).items()},
            params=dict(data.get("params") or {}),
        )
        self.code = str(data.get("code") or "error")
        status = data.get("status")
        self.status = status if isinstance(status, int) and 400 <= status < 600 else 400


@dataclass(frozen=True)
class StartedTake:
    """What the route needs of a started take, wherever it was started."""

    id: int
    attempt: int


def _error_dict(exc: AllWorkError) -> dict[str, Any]:
    params = {
        k: v if isinstance(v, int | float | str | bool) or v is None else str(v)
        for k, v in exc.params.items()
    }
    return {
        "code": exc.code,
        "message": exc.message,
        "status": exc.status,
        "fields": exc.fields,
        "params": params,
    }


class PeerRouter:
    """This node's side of the routing: its keys, its command channel and the calls it waits for."""

    def __init__(
        self,
        redis_url: str,
        recorder: PracticeRecorder,
        sessions: Sessions,
        *,
        prefix: str = "allwork:practice:",
        node: str = service.NODE_ID,
        ttl: float = PEER_TTL_S,
        timeout: float = CALL_TIMEOUT_S,
    ) -> None:
        import redis.asyncio as redis

        self._redis = redis.Redis.from_url(redis_url)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        self.recorder = recorder
        self.sessions = sessions
        self.prefix = prefix
        self.node = node
        self.ttl = ttl
        self.timeout = timeout
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._claimed: set[int] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._work: set[asyncio.Task[None]] = set()

    # --- keys ----------------------------------------------------------------------------------
    def _key(self, session_id: int) -> str:
        return f"{self.prefix}peer:{session_id}"

    def _channel(self, node: str) -> str:
        return f"{self.prefix}node:{node}"

    async def claim(self, session_id: int) -> None:
        """This node answered the session's offer: it holds the peer now (a newer offer wins).
        With Redis away the claim is left to the next refresh; the offer's answer is not held up."""
        self._claimed.add(session_id)
        try:
            await self._redis.set(self._key(session_id), self.node, px=int(self.ttl * 1000))
        except Exception:
            log.warning("practice: claiming session %s failed", session_id, exc_info=True)

    async def owner(self, session_id: int) -> str | None:
        value = await self._redis.get(self._key(session_id))
        return value.decode() if value is not None else None

    async def refresh(self) -> None:
        """Keep the keys of the peers this node holds; let go of the others."""
        held = set(self.recorder.peers)
        for sid in held:
            kept = await self._redis.eval(_REFRESH, 1, self._key(sid), self.node, int(self.ttl * 1000))
            if kept:
                self._claimed.add(sid)
            else:
                self._claimed.discard(sid)  # the page made a newer offer to another node
        for sid in self._claimed - held:
            await self._redis.eval(_RELEASE, 1, self._key(sid), self.node)
            self._claimed.discard(sid)

    # --- running ---------------------------------------------------------------------------------
    async def start(self) -> None:
        await self._pubsub.subscribe(self._channel(self.node))
        self._tasks = [
            asyncio.create_task(self._listen(), name="practice-routes-listen"),
            asyncio.create_task(self._keep(), name="practice-routes-keep"),
        ]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for sid in list(self._claimed):
            with contextlib.suppress(Exception):
                await self._redis.eval(_RELEASE, 1, self._key(sid), self.node)
        for fut in self._waiting.values():
            fut.cancel()
        if self._work:
            await asyncio.gather(*self._work, return_exceptions=True)
        await self._pubsub.aclose()
        await self._redis.aclose()

    async def _keep(self) -> None:
        while True:
            await asyncio.sleep(self.ttl / 3)
            try:
                await self.refresh()
            except Exception:  # Redis away for a moment: the next round tries again
                log.warning("practice: refreshing peer keys failed", exc_info=True)

    async def _listen(self) -> None:
        while True:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:  # a lost connection: redis-py reconnects and resubscribes on the next call
                log.warning("practice: command channel error; retrying", exc_info=True)
                await asyncio.sleep(0.5)
                continue
            if message is None or message.get("type") != "message":
                continue
            try:
                data = json.loads(message["data"])
            except ValueError:
                continue
            if not isinstance(data, dict):
                continue
            if data.get("kind") == "reply":
                fut = self._waiting.get(str(data.get("id")))
                if fut is not None and not fut.done():
                    fut.set_result(data)
            elif data.get("kind") == "call":
                task = asyncio.create_task(self._serve(data))
                self._work.add(task)
                task.add_done_callback(self._work.discard)

    # --- the owner's side ------------------------------------------------------------------------
    async def _serve(self, call: dict[str, Any]) -> None:
        reply: dict[str, Any] = {"kind": "reply", "id": call.get("id")}
        try:
            reply["result"] = await self._run(call)
        except AllWorkError as exc:
            reply["error"] = _error_dict(exc)
        except Exception:
            log.exception("practice: command %s failed", call.get("op"))
            reply["error"] = {**_error_dict(AllWorkError()), "code": "server_error", "status": 500}
        sender = call.get("from")
        if isinstance(sender, str):
            await self._redis.publish(self._channel(sender), json.dumps(reply, ensure_ascii=False))

    async def _run(self, call: dict[str, Any]) -> dict[str, Any]:
        sid, senior_id, op = call.get("session"), call.get("senior"), call.get("op")
        if not isinstance(sid, int) or not isinstance(senior_id, int):
            raise NotConnected()
        senior = await get_user(self.sessions, senior_id)
        if senior is None:
            raise NotConnected()
        # the owner checks again: the session is the senior's, and the peer is the senior's
        await service.owned_session(self.sessions, senior, sid)
        if op == "start" and isinstance(call.get("index"), int):
            take = await self.recorder.start_take(senior, sid, call["index"])
            return {"take": take.id, "attempt": take.attempt}
        if op == "stop" and isinstance(call.get("take"), int):
            await self.recorder.stop_take(senior, sid, call["take"])
            return {}
        raise NotConnected()

    # --- the receiving node's side ---------------------------------------------------------------
    async def _call(self, owner: str, command: dict[str, Any]) -> dict[str, Any]:
        request_id = uuid.uuid4().hex
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = fut
        try:
            payload = {**command, "kind": "call", "id": request_id, "from": self.node}
            listeners = await self._redis.publish(self._channel(owner), json.dumps(payload))
            if not listeners:
                log.info("practice: node %s holds session %s but is gone", owner, command.get("session"))
                raise OwnerUnreachable()
            try:
                reply = await asyncio.wait_for(fut, self.timeout)
            except TimeoutError:
                log.info("practice: node %s did not answer %s in time", owner, command.get("op"))
                raise OwnerUnreachable() from None
        finally:
            self._waiting.pop(request_id, None)
        if reply.get("error"):
            raise RemoteError(reply["error"])
        result = reply.get("result")
        return result if isinstance(result, dict) else {}

    async def _remote_owner(self, senior: User, session_id: int) -> str | None:
        """The other node holding the session's peer, or None when this node acts itself (it holds the
        peer, or nobody does and the local recorder gives its usual answer)."""
        try:
            owner = await self.owner(session_id)
        except Exception:  # Redis away: act as one process would (the peer may well be here)
            log.warning(
                "practice: peer owner of session %s unknown, acting locally", session_id, exc_info=True
            )
            return None
        if owner is None or owner == self.node:
            return None
        await service.owned_session(self.sessions, senior, session_id)  # checked here before it is sent
        return owner

    async def start_take(self, senior: User, session_id: int, index: int) -> StartedTake:
        owner = await self._remote_owner(senior, session_id)
        if owner is None:
            take = await self.recorder.start_take(senior, session_id, index)
            return StartedTake(take.id, take.attempt)
        result = await self._call(
            owner, {"op": "start", "session": session_id, "senior": senior.id, "index": index}
        )
        return StartedTake(int(result["take"]), int(result["attempt"]))

    async def stop_take(self, senior: User, session_id: int, take_id: int) -> None:
        owner = await self._remote_owner(senior, session_id)
        if owner is None:
            await self.recorder.stop_take(senior, session_id, take_id)
            return
        await self._call(owner, {"op": "stop", "session": session_id, "senior": senior.id, "take": take_id})
