"""What a room card needs from scheduling: the company and job of each room's pair, and the booking a
participant may ask to move ("ask for another time"). Used by every page that shows "my interviews"
(``rooms/_my_rooms.html`` reads ``page.about_rooms``) and by the room page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.db import Sessions
from interview.rooms.models import Room, RoomState
from interview.rooms.service import RoomListing
from interview.scheduling import service
from interview.scheduling.models import Booking
from matching.pipeline import PairInfo, pairs_info

#: rooms whose interview has not taken place yet: their booking can still be moved
UPCOMING = (RoomState.SCHEDULED, RoomState.OPEN)


@dataclass
class AboutRooms:
    """The names and bookings behind a list of rooms, by pair id."""

    pairs: dict[int, PairInfo] = field(default_factory=dict)
    bookings: dict[int, Booking] = field(default_factory=dict)

    def pair(self, room: Room) -> PairInfo | None:
        """The room's pair with the company's and the job's names (none for a room booked by hand)."""
        return self.pairs.get(room.pair_id) if room.pair_id is not None else None

    def booking(self, room: Room) -> Booking | None:
        """The booking of an upcoming room that its participants may ask to move."""
        if room.pair_id is None or room.state not in UPCOMING:
            return None
        booking = self.bookings.get(room.pair_id)
        return booking if booking is not None and booking.room_id == room.id else None


async def about_rooms(sessions: Sessions, rooms: Iterable[Room | RoomListing]) -> AboutRooms:
    """Names and current bookings for these rooms' pairs, in two queries."""
    pair_ids = {
        r.pair_id
        for r in (x.room if isinstance(x, RoomListing) else x for x in rooms)
        if r.pair_id is not None
    }
    if not pair_ids:
        return AboutRooms()
    return AboutRooms(
        await pairs_info(sessions, pair_ids), await service.bookings_of_pairs(sessions, pair_ids)
    )
