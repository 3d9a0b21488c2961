"""My settings (``/account/settings``): the time zone every time on the site is shown in.

Most people keep Asia/Seoul; someone living abroad picks their zone from a short list. The list
names each place in the reader's language and shows the time there now, so it is easy to recognise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import set_time_zone
from core.clock import utcnow
from core.errors import InvalidInput
from core.i18n import N_
from core.localtime import COMMON_ZONES, format_clock
from web.forms import Form, read_form
from web.keys import SESSIONS
from web.render import flash, gettext_for, render, request_language
from web.security import require_user, requires

routes = web.RouteTableDef()

#: how each offered zone is named on the page
ZONE_LABELS: dict[str, str] = {
    "Asia/Seoul": N_("Seoul (Korea)"),
    "Asia/Tokyo": N_("Tokyo (Japan)"),
    "Asia/Shanghai": N_("Beijing and Shanghai (China)"),
    "Asia/Ho_Chi_Minh": N_("Ho Chi Minh City (Vietnam)"),
    "Asia/Singapore": N_("Singapore"),
    "Australia/Sydney": N_("Sydney (Australia)"),
    "Europe/London": N_("London (United Kingdom)"),
    "Europe/Berlin": N_("Berlin, Paris (Central Europe)"),
    "America/New_York": N_("New York (US East)"),
    "America/Chicago": N_("Chicago (US Central)"),
    "America/Denver": N_("Denver (US Mountain)"),
    "America/Los_Angeles": N_("Los Angeles (US West)"),
    "Pacific/Honolulu": N_("Honolulu (Hawaii)"),
    "UTC": N_("Coordinated Universal Time (UTC)"),
}


@dataclass
class SettingsPage:
    form: Form
    #: (zone, label) for the select, the reader's current zone included even when it is not in the list
    zones: list[tuple[str, str]] = field(default_factory=list)


def _zone_choices(request: web.Request, current: str) -> list[tuple[str, str]]:
    _ = gettext_for(request)
    lang, now = request_language(request), utcnow()
    zones = list(COMMON_ZONES) if current in COMMON_ZONES else [current, *COMMON_ZONES]
    choices = []
    for tz in zones:
        place = _(ZONE_LABELS.get(tz, tz))
        choices.append((tz, _("%(place)s — now %(time)s", place=place, time=format_clock(now, tz, lang))))
    return choices


@routes.get("/account/settings", name="account_settings")
@requires()
async def settings_form(request: web.Request) -> web.Response:
    user = require_user(request)
    form = Form(values={"time_zone": user.time_zone})
    page = SettingsPage(form, _zone_choices(request, user.time_zone))
    return await render(request, "account_settings.html", page)


@routes.post("/account/settings", name="account_settings_post")
@requires()
async def settings_submit(request: web.Request) -> web.Response:
    user = require_user(request)
    data = await read_form(request, ("time_zone",))
    _ = gettext_for(request)
    try:
        await set_time_zone(request.app[SESSIONS], user.id, data["time_zone"].strip())
    except InvalidInput as exc:
        form = Form(values={"time_zone": user.time_zone}).show(exc, _)
        page = SettingsPage(form, _zone_choices(request, user.time_zone))
        return await render(request, "account_settings.html", page, status=exc.status)
    await flash(request, _("Your settings are saved. Times are now shown in the zone you chose."))
    raise web.HTTPSeeOther("/account/settings")
