"""Scheduling: schedulers book interviews for candidate–posting pairs, or offer slots the senior picks from.

No person and no room is ever in two interviews at once, buffers included: each booking holds a time
range for every person in it and for its room (:class:`~interview.scheduling.models.BookingHold`).
On PostgreSQL an exclusion constraint over (resource, time range) of the active holds refuses an
overlap whatever the timing; on SQLite the check and the insert run in one transaction that first takes
the database's write lock, so bookings are serialised. See docs/scheduling.md.
"""
