"""The rooms domain's part in signaling: the hooks ``setup_signaling`` takes.

``web`` wires them: ``setup_signaling(app, settings, hooks=signaling_hooks(sessions))``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from interview.rooms import service
from interview.signaling.options import SignalingHooks
from interview.signaling.tokens import RoomClaims, RoomRole


def signaling_hooks(
    sessions: async_sessionmaker[AsyncSession],
    *,
    on_all_agreed: Callable[[int], Awaitable[None]] | None = None,
) -> SignalingHooks:
    """Hooks over ``sessions``; ``on_all_agreed(room_id)`` runs when the last participant agrees to record."""

    async def authorize(claims: RoomClaims) -> None:
        if claims.role == RoomRole.RECORDER:
            return  # recorder tokens are only issued once everyone consented
        await service.check_participant(sessions, claims.room_id, claims.user_id)

    async def on_admit(room_id: int, by_user: int, candidate: int) -> None:
        await service.admit(sessions, room_id, by_user, candidate)

    async def on_deny(room_id: int, by_user: int, candidate: int) -> None:
        await service.deny(sessions, room_id, by_user, candidate)

    consenting: dict[int, asyncio.Lock] = {}

    async def on_consent(room_id: int, user_id: int, agree: bool) -> None:
        if user_id == service.RECORDER_USER_ID:
            return
        # one answer at a time per room on this node, each decided after its commit (see set_consent)
        lock = consenting.setdefault(room_id, asyncio.Lock())
        try:
            async with lock:
                everyone = await service.set_consent(sessions, room_id, user_id, agree)
                if everyone and on_all_agreed is not None:
                    await on_all_agreed(room_id)
        finally:
            if not lock.locked() and consenting.get(room_id) is lock:
                del consenting[room_id]

    async def on_end(room_id: int, by_user: int) -> None:
        await service.end_room(sessions, room_id, by_user)

    async def on_empty(room_id: int) -> None:
        await service.end_room(sessions, room_id, None)

    return SignalingHooks(
        authorize=authorize,
        on_admit=on_admit,
        on_deny=on_deny,
        on_consent=on_consent,
        on_end=on_end,
        on_empty=on_empty,
    )
