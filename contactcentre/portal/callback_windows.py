"""The times a citizen may ask to be called back: a morning or an afternoon of one of the next working
days, still ahead and inside the opening hours (the government's standard business calendar: Monday to
Friday 9.00-17.00, Dutch public holidays off). What the citizen picks is looked up again in this list
when the form comes back, so a window in the past, at night or on a holiday cannot be asked for."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casemanagement.business_calendar import BusinessCalendar, default_calendar, is_working_moment

WORKING_DAYS_OFFERED = 5
# Two weeks hold five working days whatever the holidays (Christmas to New Year's Day included).
LOOKAHEAD_DAYS = 14
PARTS = (
    ("ochtend", time(9), time(12), _("ochtend (9.00-12.00 uur)")),
    ("middag", time(13), time(17), _("middag (13.00-17.00 uur)")),
)


@dataclass(frozen=True)
class CallbackWindow:
    key: str  # "2026-12-07-ochtend": what the form sends back
    start: datetime
    end: datetime
    label: str


def callback_windows(*, now: datetime | None = None, calendar: BusinessCalendar | None = None) -> list[CallbackWindow]:
    """The windows of the next working days that start after `now` and lie inside the opening hours."""
    calendar = calendar or default_calendar()
    now = now or timezone.now()
    today = now.astimezone(calendar.zone).date()
    windows: list[CallbackWindow] = []
    days = 0
    for offset in range(LOOKAHEAD_DAYS):
        found = list(_windows_of(calendar, today + timedelta(days=offset), now))
        windows += found
        days += bool(found)
        if days == WORKING_DAYS_OFFERED:
            break
    return windows


def _windows_of(calendar: BusinessCalendar, day, now: datetime):
    for code, from_, to, label in PARTS:
        start = datetime.combine(day, from_, calendar.zone)
        end = datetime.combine(day, to, calendar.zone)
        inside = is_working_moment(calendar, start) and is_working_moment(calendar, end - timedelta(minutes=1))
        if start > now and inside:
            yield CallbackWindow(
                key=f"{day.isoformat()}-{code}", start=start, end=end, label=f"{date_format(day, 'l j F')}, {label}"
            )


def callback_window_find(key: str, *, now: datetime | None = None) -> CallbackWindow | None:
    return next((window for window in callback_windows(now=now) if window.key == key), None)
