"""Core's tables: importing this module declares every one of them on ``core.db.Base.metadata``.

``core.schema.PART`` names it; a core module that adds a table is imported here.
"""

from __future__ import annotations

import core.accounts  # noqa: F401  users, login throttle
import core.credentials  # noqa: F401  password reset codes
import core.login_sessions  # noqa: F401  server-side login sessions
import core.notices  # noqa: F401  in-app notices
import core.reminders  # noqa: F401  messages due at a time
