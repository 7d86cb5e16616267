"""Deadlines on business calendars: working time between two moments, and the moment a deadline falls.

A `BusinessCalendar` holds, per weekday, the working intervals in wall-clock time (several a day,
evening intervals too), the timezone they are read in, the organisation's own closing days and the
country whose public holidays (from the `holidays` package) are days off. The functions below answer:

- `add_working_time(calendar, start, duration)`: the earliest moment at which `duration` of working
  time has passed since `start` (a start outside working hours counts from the next interval; a
  deadline that ends exactly at the end of an interval falls at that end, not at the next start);
- `add_working_days(calendar, start, days)`: the end of the `days`-th working day after the start's
  date (the start's own date does not count, as terms are counted in Dutch administrative law);
- `working_time_between(calendar, start, end)`: the working time in between (negative if end < start);
- `is_working_moment(calendar, moment)` and `is_working_day(calendar, day)`.

Intervals are wall-clock times in the calendar's timezone; all arithmetic is done on UTC instants, so
working time is real elapsed time (a night interval 00:00-08:00 lasts 7 hours on the day the clocks go
forward and 9 on the day they go back). A wall-clock time that does not exist on a DST day is read with
the offset before the change (`fold=0`), an ambiguous one as its first occurrence. Every computation
walks the days it spans once, and refuses spans over `MAX_SPAN_DAYS` with a ValueError, so no input
(an empty calendar, a huge duration) can make it loop for long. Results are in the calendar's timezone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

# The longest span, in calendar days, any computation walks: about three years.
MAX_SPAN_DAYS = 3 * 366

Interval = tuple[time, time]


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours per weekday (Monday first: 7 tuples of (start, end) wall-clock intervals)."""

    hours: tuple[tuple[Interval, ...], ...]
    timezone: str = "Europe/Amsterdam"
    closing_days: frozenset[date] = field(default_factory=frozenset)
    # ISO country code for the `holidays` package (public holidays only); None: no public holidays.
    holiday_country: str | None = "NL"

    def __post_init__(self) -> None:
        if len(self.hours) != 7:
            raise ValueError("A business calendar needs the working intervals of all 7 weekdays (Monday first).")
        normalised = []
        for weekday, intervals in enumerate(self.hours):
            ordered = tuple(sorted((start, end) for start, end in intervals))
            for start, end in ordered:
                if not (isinstance(start, time) and isinstance(end, time)):
                    raise ValueError(f"Weekday {weekday}: intervals are pairs of datetime.time.")
                if start.tzinfo is not None or end.tzinfo is not None:
                    raise ValueError(f"Weekday {weekday}: intervals are wall-clock times without a timezone.")
                if not start < end:
                    raise ValueError(f"Weekday {weekday}: interval {start}-{end} does not end after it starts.")
            for (_, previous_end), (next_start, _) in zip(ordered, ordered[1:], strict=False):
                if next_start < previous_end:
                    raise ValueError(f"Weekday {weekday}: intervals overlap.")
            normalised.append(ordered)
        object.__setattr__(self, "hours", tuple(normalised))
        object.__setattr__(self, "closing_days", frozenset(self.closing_days))
        ZoneInfo(self.timezone)  # an unknown timezone fails here, not at the first deadline
        if self.holiday_country is not None:
            _public_holidays(self.holiday_country, 2000)  # an unknown country fails here too

    @classmethod
    def from_spec(
        cls,
        spec: Mapping[int, Sequence[tuple[str, str]]],
        *,
        timezone: str = "Europe/Amsterdam",
        closing_days: Iterable[date] = (),
        holiday_country: str | None = "NL",
    ) -> BusinessCalendar:
        """From {weekday (0 = Monday): [("08:30", "12:00"), ("13:00", "17:00")]}; absent weekdays are days off."""
        if any(not 0 <= weekday <= 6 for weekday in spec):
            raise ValueError("Weekdays are 0 (Monday) to 6 (Sunday).")
        hours = tuple(
            tuple((time.fromisoformat(start), time.fromisoformat(end)) for start, end in spec.get(weekday, ()))
            for weekday in range(7)
        )
        return cls(
            hours=hours, timezone=timezone, closing_days=frozenset(closing_days), holiday_country=holiday_country
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def default_calendar() -> BusinessCalendar:
    """The Dutch government standard: Monday to Friday 09:00-17:00, Europe/Amsterdam, Dutch public holidays."""
    office = ((time(9), time(17)),)
    return BusinessCalendar(hours=(office,) * 5 + ((), ()))


@functools.lru_cache(maxsize=256)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


def is_working_day(calendar: BusinessCalendar, day: date) -> bool:
    """A date with at least one working interval that is neither a public holiday nor a closing day."""
    if not calendar.hours[day.weekday()] or day in calendar.closing_days:
        return False
    return calendar.holiday_country is None or day not in _public_holidays(calendar.holiday_country, day.year)


def _intervals_utc(calendar: BusinessCalendar, day: date) -> list[tuple[datetime, datetime]]:
    """The day's working intervals as UTC instants (none on a day off)."""
    if not is_working_day(calendar, day):
        return []
    zone = calendar.zone
    intervals = []
    for start, end in calendar.hours[day.weekday()]:
        start_utc = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
        end_utc = datetime.combine(day, end, tzinfo=zone).astimezone(UTC)
        if start_utc < end_utc:  # an interval inside the hour the clocks skip has no length
            intervals.append((start_utc, end_utc))
    return intervals


def _require_aware(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime.")
    return moment.astimezone(UTC)


def _days_from(calendar: BusinessCalendar, start_utc: datetime) -> Iterator[date]:
    """The local dates from the start's date on, at most MAX_SPAN_DAYS of them, then a ValueError."""
    first = start_utc.astimezone(calendar.zone).date()
    for offset in range(MAX_SPAN_DAYS + 1):
        yield first + timedelta(days=offset)
    raise ValueError(f"The deadline lies more than {MAX_SPAN_DAYS} days after its start.")


def add_working_time(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """The earliest moment at which `duration` of working time has passed since `start`."""
    start_utc = _require_aware(start, "start")
    if duration < timedelta(0):
        raise ValueError("duration must not be negative.")
    if duration == timedelta(0):
        return start_utc.astimezone(calendar.zone)
    remaining = duration
    for day in _days_from(calendar, start_utc):
        for interval_start, interval_end in _intervals_utc(calendar, day):
            if interval_end <= start_utc:
                continue
            counted_from = max(interval_start, start_utc)
            available = interval_end - counted_from
            if remaining <= available:
                return (counted_from + remaining).astimezone(calendar.zone)
            remaining -= available
    raise AssertionError("unreachable: _days_from raises when the span is exhausted")  # pragma: no cover


def add_working_days(calendar: BusinessCalendar, start: datetime, days: int) -> datetime:
    """The end of the `days`-th working day after the start's local date (0 days: the start itself)."""
    start_utc = _require_aware(start, "start")
    if days < 0:
        raise ValueError("days must not be negative.")
    if days == 0:
        return start_utc.astimezone(calendar.zone)
    counted = 0
    day_iterator = _days_from(calendar, start_utc)
    next(day_iterator)  # the start's own date does not count
    for day in day_iterator:
        intervals = _intervals_utc(calendar, day)
        if intervals:
            counted += 1
            if counted == days:
                return intervals[-1][1].astimezone(calendar.zone)
    raise AssertionError("unreachable: _days_from raises when the span is exhausted")  # pragma: no cover


def working_time_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """The working time from `start` to `end` (negative when `end` lies before `start`)."""
    start_utc = _require_aware(start, "start")
    end_utc = _require_aware(end, "end")
    if end_utc < start_utc:
        return -working_time_between(calendar, end_utc, start_utc)
    if end_utc - start_utc > timedelta(days=MAX_SPAN_DAYS):
        raise ValueError(f"The span is more than {MAX_SPAN_DAYS} days.")
    total = timedelta(0)
    first_day = start_utc.astimezone(calendar.zone).date()
    last_day = end_utc.astimezone(calendar.zone).date()
    for offset in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=offset)
        for interval_start, interval_end in _intervals_utc(calendar, day):
            overlap = min(interval_end, end_utc) - max(interval_start, start_utc)
            if overlap > timedelta(0):
                total += overlap
    return total


def is_working_moment(calendar: BusinessCalendar, moment: datetime) -> bool:
    """Whether `moment` lies inside a working interval (start included, end excluded)."""
    moment_utc = _require_aware(moment, "moment")
    day = moment_utc.astimezone(calendar.zone).date()
    return any(start <= moment_utc < end for start, end in _intervals_utc(calendar, day))
