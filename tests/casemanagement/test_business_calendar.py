"""Deadlines on business calendars (casemanagement/business_calendar.py)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casemanagement.business_calendar import (
    MAX_SPAN_DAYS,
    BusinessCalendar,
    add_working_days,
    add_working_time,
    default_calendar,
    is_working_day,
    is_working_moment,
    working_time_between,
)

AMS = ZoneInfo("Europe/Amsterdam")
HOUR = timedelta(hours=1)


def ams(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def split_day_calendar(**kwargs) -> BusinessCalendar:
    """Mon-Fri 08:30-12:00 and 13:00-17:00, plus an evening interval 18:00-21:00 on Tuesday."""
    spec = {weekday: [("08:30", "12:00"), ("13:00", "17:00")] for weekday in range(5)}
    spec[1] = [*spec[1], ("18:00", "21:00")]
    return BusinessCalendar.from_spec(spec, **kwargs)


def around_the_clock() -> BusinessCalendar:
    """A night shift 00:00-08:00 every day, no public holidays: it spans the DST changes at 02:00/03:00."""
    return BusinessCalendar.from_spec({weekday: [("00:00", "08:00")] for weekday in range(7)}, holiday_country=None)


# --- the calendar itself -----------------------------------------------------------------------------


def test_default_calendar_is_monday_to_friday_nine_to_five_in_amsterdam():
    calendar = default_calendar()
    assert calendar.timezone == "Europe/Amsterdam"
    assert calendar.hours[:5] == (((time(9), time(17)),),) * 5
    assert calendar.hours[5:] == ((), ())
    assert calendar.holiday_country == "NL"
    assert calendar.closing_days == frozenset()


def test_calendar_is_frozen_and_hashable():
    calendar = default_calendar()
    with pytest.raises(AttributeError):
        calendar.timezone = "UTC"
    assert hash(calendar) == hash(default_calendar())


def test_intervals_are_sorted_on_construction():
    calendar = BusinessCalendar.from_spec({0: [("13:00", "17:00"), ("08:30", "12:00")]})
    assert calendar.hours[0] == ((time(8, 30), time(12)), (time(13), time(17)))


@pytest.mark.parametrize(
    "spec",
    [
        {0: [("12:00", "09:00")]},
        {0: [("09:00", "09:00")]},
        {0: [("09:00", "12:00"), ("11:00", "13:00")]},
        {7: [("09:00", "12:00")]},
    ],
)
def test_invalid_hours_are_refused(spec):
    with pytest.raises(ValueError):
        BusinessCalendar.from_spec(spec)


def test_calendar_needs_seven_weekdays_a_known_timezone_and_country():
    with pytest.raises(ValueError):
        BusinessCalendar(hours=((),) * 6)
    with pytest.raises(Exception):  # noqa: B017 -- zoneinfo raises ZoneInfoNotFoundError (a KeyError)
        BusinessCalendar(hours=((),) * 7, timezone="Europe/Atlantis")
    with pytest.raises(NotImplementedError):
        BusinessCalendar(hours=((),) * 7, holiday_country="XX")


# --- working days: weekends, Dutch public holidays, own closing days ---------------------------------


def test_dutch_public_holidays_from_the_holidays_package_are_as_expected():
    """Pin what holidays.NL says, so a change in the package's rules shows up here first."""
    assert sorted(holidays.NL(years=2026)) == [
        date(2026, 1, 1),  # Nieuwjaarsdag
        date(2026, 4, 3),  # Goede Vrijdag
        date(2026, 4, 5),  # Eerste Paasdag
        date(2026, 4, 6),  # Tweede Paasdag
        date(2026, 4, 27),  # Koningsdag
        date(2026, 5, 14),  # Hemelvaartsdag
        date(2026, 5, 24),  # Eerste Pinksterdag
        date(2026, 5, 25),  # Tweede Pinksterdag
        date(2026, 12, 25),  # Eerste Kerstdag
        date(2026, 12, 26),  # Tweede Kerstdag
    ]
    # Bevrijdingsdag is a day off in lustrum years only (2025, 2030), per the package's rules.
    assert date(2025, 5, 5) in holidays.NL(years=2025)
    assert date(2026, 5, 5) not in holidays.NL(years=2026)
    assert date(2030, 5, 5) in holidays.NL(years=2030)
    # Koningsdag moves to 26 April when 27 April is a Sunday (2025).
    assert date(2025, 4, 26) in holidays.NL(years=2025)
    assert date(2025, 4, 27) not in holidays.NL(years=2025)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 4, 24), True),  # Friday
        (date(2026, 4, 25), False),  # Saturday
        (date(2026, 4, 26), False),  # Sunday
        (date(2026, 4, 27), False),  # Koningsdag (Monday)
        (date(2026, 4, 28), True),
        (date(2026, 1, 1), False),  # Nieuwjaarsdag (Thursday)
        (date(2026, 1, 2), True),
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), False),  # Eerste Kerstdag (Friday)
        (date(2027, 12, 27), True),  # Monday after a Kerst weekend: no substitute day in NL
        (date(2025, 5, 5), False),  # Bevrijdingsdag 2025 (Monday, lustrum year)
        (date(2026, 5, 5), True),  # Bevrijdingsdag 2026 (Tuesday, not a day off)
        (date(2026, 5, 14), False),  # Hemelvaartsdag
        (date(2026, 5, 25), False),  # Tweede Pinksterdag
    ],
)
def test_working_days_of_the_default_calendar(day, working):
    assert is_working_day(default_calendar(), day) is working


def test_own_closing_days_are_days_off():
    closing = date(2026, 5, 15)  # the Friday after Hemelvaartsdag ("brugdag")
    calendar = BusinessCalendar(hours=default_calendar().hours, closing_days=frozenset({closing}))
    assert not is_working_day(calendar, closing)
    assert is_working_day(default_calendar(), closing)
    # 1 hour on Wednesday 13 May, Thursday Hemelvaart, Friday closed, weekend: 7 more hours on Monday.
    assert add_working_time(calendar, ams(2026, 5, 13, 16), 8 * HOUR) == ams(2026, 5, 18, 16)
    assert add_working_time(default_calendar(), ams(2026, 5, 13, 16), 8 * HOUR) == ams(2026, 5, 15, 16)


def test_without_a_holiday_country_public_holidays_are_working_days():
    calendar = BusinessCalendar(hours=default_calendar().hours, holiday_country=None)
    assert is_working_day(calendar, date(2026, 4, 27))


# --- add_working_time ----------------------------------------------------------------------------------


def test_weekend_is_skipped():
    # Friday 16:00 + 2 h: one hour on Friday, one on Monday.
    assert add_working_time(default_calendar(), ams(2026, 6, 5, 16), 2 * HOUR) == ams(2026, 6, 8, 10)


def test_deadline_across_christmas_and_new_year():
    calendar = default_calendar()
    # Thursday 24 Dec 16:00: 1 h that day; Fri 25 and Sat 26 Kerst, Sunday; Monday 28 Dec 09:00 + 7 h.
    assert add_working_time(calendar, ams(2026, 12, 24, 16), 8 * HOUR) == ams(2026, 12, 28, 16)
    # Thursday 31 Dec 14:00: 3 h; Friday 1 Jan Nieuwjaarsdag, weekend; Monday 4 Jan 2027 09:00 + 5 h.
    assert add_working_time(calendar, ams(2026, 12, 31, 14), 8 * HOUR) == ams(2027, 1, 4, 14)
    # Five working days (40 h) from Christmas Eve 16:00 end in the new year.
    assert add_working_time(calendar, ams(2026, 12, 24, 16), 40 * HOUR) == ams(2027, 1, 4, 16)


def test_koningsdag_is_skipped():
    # Friday 24 April 2026 16:00 + 2 h: Monday 27 April is Koningsdag, so Tuesday 28 April 10:00.
    assert add_working_time(default_calendar(), ams(2026, 4, 24, 16), 2 * HOUR) == ams(2026, 4, 28, 10)


def test_several_intervals_a_day():
    calendar = split_day_calendar()
    # Monday 11:00 + 2 h: 11:00-12:00, lunch, 13:00-14:00.
    assert add_working_time(calendar, ams(2026, 6, 1, 11), 2 * HOUR) == ams(2026, 6, 1, 14)
    # Starting in the lunch break counts from 13:00.
    assert add_working_time(calendar, ams(2026, 6, 1, 12, 30), HOUR) == ams(2026, 6, 1, 14)
    # A whole Monday is 7.5 h (3.5 + 4).
    assert working_time_between(calendar, ams(2026, 6, 1, 0), ams(2026, 6, 2, 0)) == timedelta(hours=7, minutes=30)


def test_evening_interval():
    calendar = split_day_calendar()
    # Tuesday 16:30 + 2 h: 30 min until 17:00, then the evening interval from 18:00: 19:30.
    assert add_working_time(calendar, ams(2026, 6, 2, 16, 30), 2 * HOUR) == ams(2026, 6, 2, 19, 30)
    # Tuesday 20:00 + 2 h: one hour until 21:00, then Wednesday 08:30 + 1 h.
    assert add_working_time(calendar, ams(2026, 6, 2, 20), 2 * HOUR) == ams(2026, 6, 3, 9, 30)
    # Monday has no evening interval: Monday 16:30 + 2 h runs into Tuesday morning.
    assert add_working_time(calendar, ams(2026, 6, 1, 16, 30), 2 * HOUR) == ams(2026, 6, 2, 10)
    assert is_working_moment(calendar, ams(2026, 6, 2, 19))
    assert not is_working_moment(calendar, ams(2026, 6, 1, 19))
    assert working_time_between(calendar, ams(2026, 6, 2, 0), ams(2026, 6, 3, 0)) == timedelta(hours=10, minutes=30)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (ams(2026, 6, 1, 10), ams(2026, 6, 1, 11)),  # inside an interval
        (ams(2026, 6, 1, 7), ams(2026, 6, 1, 10)),  # before the day's interval
        (ams(2026, 6, 1, 9), ams(2026, 6, 1, 10)),  # exactly at the start of an interval
        (ams(2026, 6, 1, 16), ams(2026, 6, 1, 17)),  # ends exactly at the end: 17:00, not tomorrow 09:00
        (ams(2026, 6, 1, 17), ams(2026, 6, 2, 10)),  # exactly at the end of an interval
        (ams(2026, 6, 1, 22), ams(2026, 6, 2, 10)),  # after hours
        (ams(2026, 6, 6, 12), ams(2026, 6, 8, 10)),  # Saturday
    ],
)
def test_start_inside_outside_and_at_the_edges(start, expected):
    assert add_working_time(default_calendar(), start, HOUR) == expected


def test_zero_duration_is_the_start_itself():
    calendar = default_calendar()
    assert add_working_time(calendar, ams(2026, 6, 1, 10), timedelta(0)) == ams(2026, 6, 1, 10)
    assert add_working_time(calendar, ams(2026, 6, 6, 12), timedelta(0)) == ams(2026, 6, 6, 12)


def test_result_is_in_the_calendar_timezone_whatever_the_start_zone():
    result = add_working_time(default_calendar(), datetime(2026, 6, 1, 8, tzinfo=UTC), HOUR)  # 10:00 in Amsterdam
    assert result == ams(2026, 6, 1, 11)
    assert result.tzinfo == AMS
    assert result.hour == 11


def test_sub_second_durations_are_exact():
    start = ams(2026, 6, 1, 16, 59, 59)
    assert add_working_time(default_calendar(), start, timedelta(microseconds=1_500_000)) == ams(
        2026, 6, 2, 9, 0, 0, 500_000
    )


def test_naive_datetimes_and_negative_durations_are_refused():
    with pytest.raises(ValueError):
        add_working_time(default_calendar(), datetime(2026, 6, 1, 10), HOUR)
    with pytest.raises(ValueError):
        add_working_time(default_calendar(), ams(2026, 6, 1, 10), -HOUR)
    with pytest.raises(ValueError):
        working_time_between(default_calendar(), ams(2026, 6, 1, 10), datetime(2026, 6, 2, 10))
    with pytest.raises(ValueError):
        is_working_moment(default_calendar(), datetime(2026, 6, 1, 10))


def test_spans_over_the_cap_are_refused_rather_than_looped():
    # An organisation without any working hours: no deadline ever falls.
    closed = BusinessCalendar(hours=((),) * 7)
    with pytest.raises(ValueError, match="more than"):
        add_working_time(closed, ams(2026, 6, 1, 10), timedelta(minutes=1))
    with pytest.raises(ValueError, match="more than"):
        add_working_days(closed, ams(2026, 6, 1, 10), 1)
    # A duration of ten years of working time.
    with pytest.raises(ValueError, match="more than"):
        add_working_time(default_calendar(), ams(2026, 6, 1, 10), timedelta(days=10 * 365))
    with pytest.raises(ValueError, match="more than"):
        working_time_between(default_calendar(), ams(2026, 1, 1), ams(2026, 1, 1) + timedelta(days=MAX_SPAN_DAYS + 1))
    # Just under the cap still answers.
    assert working_time_between(closed, ams(2026, 1, 1), ams(2026, 1, 1) + timedelta(days=MAX_SPAN_DAYS)) == (
        timedelta(0)
    )


# --- DST: Europe/Amsterdam goes to summer time on 2026-03-29 and back on 2026-10-25 ------------------


def test_office_hours_are_wall_clock_across_the_dst_changes():
    calendar = default_calendar()
    # Friday 27 March 16:00 (CET) + 2 h: Monday 30 March 10:00 (CEST), one UTC hour shifted.
    result = add_working_time(calendar, ams(2026, 3, 27, 16), 2 * HOUR)
    assert result == ams(2026, 3, 30, 10)
    assert result.utcoffset() == timedelta(hours=2)
    assert result.astimezone(UTC) == datetime(2026, 3, 30, 8, tzinfo=UTC)
    # Friday 23 October 16:00 (CEST) + 2 h: Monday 26 October 10:00 (CET).
    result = add_working_time(calendar, ams(2026, 10, 23, 16), 2 * HOUR)
    assert result == ams(2026, 10, 26, 10)
    assert result.utcoffset() == timedelta(hours=1)
    # The working time between the two Fridays at 17:00 is five full days, not five days minus an hour.
    assert working_time_between(calendar, ams(2026, 3, 27, 17), ams(2026, 4, 3, 17)) == 32 * HOUR  # Goede Vrijdag
    assert working_time_between(calendar, ams(2026, 10, 23, 17), ams(2026, 10, 30, 17)) == 40 * HOUR


def test_a_night_interval_on_dst_days_counts_real_elapsed_time():
    calendar = around_the_clock()
    # 00:00-08:00 on 29 March lasts 7 real hours (02:00 becomes 03:00), on 25 October 9 (03:00 becomes 02:00).
    assert working_time_between(calendar, ams(2026, 3, 29, 0), ams(2026, 3, 29, 12)) == 7 * HOUR
    assert working_time_between(calendar, ams(2026, 10, 25, 0), ams(2026, 10, 25, 12)) == 9 * HOUR
    assert working_time_between(calendar, ams(2026, 3, 28, 0), ams(2026, 3, 28, 12)) == 8 * HOUR
    # 01:00 + 2 h on 29 March ends at 04:00 CEST (02:00 UTC); on 25 October at 02:00 CET (01:00 UTC),
    # the second time the clock shows 02:00.
    spring = add_working_time(calendar, ams(2026, 3, 29, 1), 2 * HOUR)
    assert spring.astimezone(UTC) == datetime(2026, 3, 29, 2, tzinfo=UTC)
    assert (spring.hour, spring.utcoffset()) == (4, timedelta(hours=2))
    autumn = add_working_time(calendar, ams(2026, 10, 25, 1), 2 * HOUR)
    assert autumn.astimezone(UTC) == datetime(2026, 10, 25, 1, tzinfo=UTC)
    assert (autumn.hour, autumn.utcoffset()) == (2, timedelta(hours=1))


def test_an_interval_that_falls_in_the_skipped_hour_has_no_length():
    calendar = BusinessCalendar.from_spec({6: [("02:00", "03:00")]}, holiday_country=None)
    # Sunday 29 March 2026: 02:00-03:00 does not exist; the next Sunday it is a full hour.
    assert working_time_between(calendar, ams(2026, 3, 29), ams(2026, 3, 30)) == timedelta(0)
    assert working_time_between(calendar, ams(2026, 4, 5), ams(2026, 4, 6)) == HOUR
    # Sunday 25 October 2026: 02:00 (first, CEST) to 03:00 (CET) is two real hours.
    assert working_time_between(calendar, ams(2026, 10, 25), ams(2026, 10, 26)) == 2 * HOUR


# --- add_working_days ------------------------------------------------------------------------------------


def test_working_days_count_from_the_day_after_the_start():
    calendar = default_calendar()
    # Monday 1 June 10:00 + 1 working day: the end of Tuesday.
    assert add_working_days(calendar, ams(2026, 6, 1, 10), 1) == ams(2026, 6, 2, 17)
    # Friday + 1: the end of Monday.
    assert add_working_days(calendar, ams(2026, 6, 5, 10), 1) == ams(2026, 6, 8, 17)
    # Saturday + 1: the end of Monday too.
    assert add_working_days(calendar, ams(2026, 6, 6, 10), 1) == ams(2026, 6, 8, 17)
    assert add_working_days(calendar, ams(2026, 6, 1, 10), 0) == ams(2026, 6, 1, 10)
    with pytest.raises(ValueError):
        add_working_days(calendar, ams(2026, 6, 1, 10), -1)


def test_working_days_skip_holidays_and_closing_days_across_new_year():
    closing = date(2026, 12, 31)
    calendar = BusinessCalendar(hours=default_calendar().hours, closing_days=frozenset({closing}))
    # From Wednesday 23 December: 24 Dec (1), [25, 26 Kerst, 27 Sun], 28 (2), 29 (3), 30 (4), [31 closed,
    # 1 Jan, 2-3 weekend], 4 Jan (5).
    assert add_working_days(calendar, ams(2026, 12, 23, 12), 5) == ams(2027, 1, 4, 17)
    assert add_working_days(default_calendar(), ams(2026, 12, 23, 12), 5) == ams(2026, 12, 31, 17)


def test_working_day_ends_at_the_end_of_its_last_interval():
    calendar = split_day_calendar()
    assert add_working_days(calendar, ams(2026, 6, 1, 10), 1) == ams(2026, 6, 2, 21)  # Tuesday: evening interval
    assert add_working_days(calendar, ams(2026, 6, 2, 10), 1) == ams(2026, 6, 3, 17)


# --- working_time_between and is_working_moment ----------------------------------------------------------


def test_working_time_between():
    calendar = default_calendar()
    assert working_time_between(calendar, ams(2026, 6, 1, 10), ams(2026, 6, 1, 12)) == 2 * HOUR
    assert working_time_between(calendar, ams(2026, 6, 5, 16), ams(2026, 6, 8, 10)) == 2 * HOUR
    assert working_time_between(calendar, ams(2026, 6, 6, 10), ams(2026, 6, 7, 10)) == timedelta(0)
    assert working_time_between(calendar, ams(2026, 6, 1, 12), ams(2026, 6, 1, 10)) == -2 * HOUR
    assert working_time_between(calendar, ams(2026, 6, 1, 12), ams(2026, 6, 1, 12)) == timedelta(0)
    # A whole year: 2026 has 261 weekdays, 7 of them public holidays.
    assert working_time_between(calendar, ams(2026, 1, 1), ams(2027, 1, 1)) == 254 * 8 * HOUR


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (ams(2026, 6, 1, 9), True),  # start of the interval included
        (ams(2026, 6, 1, 16, 59, 59), True),
        (ams(2026, 6, 1, 17), False),  # end excluded
        (ams(2026, 6, 1, 8, 59), False),
        (ams(2026, 6, 6, 12), False),  # Saturday
        (ams(2026, 4, 27, 12), False),  # Koningsdag
        (datetime(2026, 6, 1, 10, tzinfo=UTC), True),  # 12:00 in Amsterdam
        (datetime(2026, 6, 1, 15, tzinfo=UTC), False),  # 17:00 in Amsterdam
    ],
)
def test_is_working_moment(moment, working):
    assert is_working_moment(default_calendar(), moment) is working


# --- properties -----------------------------------------------------------------------------------------

CALENDARS = st.sampled_from([default_calendar(), split_day_calendar(), around_the_clock()])
STARTS = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(AMS))
DURATIONS = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=1500))


@settings(max_examples=150, deadline=None)
@given(calendar=CALENDARS, start=STARTS, duration=DURATIONS)
def test_property_working_time_between_inverts_add_working_time(calendar, start, duration):
    end = add_working_time(calendar, start, duration)
    assert end >= start
    assert working_time_between(calendar, start, end) == duration
    if duration > timedelta(0):
        assert is_working_moment(calendar, end - timedelta(microseconds=1))


@settings(max_examples=150, deadline=None)
@given(calendar=CALENDARS, start=STARTS, first=DURATIONS, second=DURATIONS)
def test_property_longer_duration_never_ends_earlier(calendar, start, first, second):
    shorter, longer = sorted((first, second))
    assert add_working_time(calendar, start, shorter) <= add_working_time(calendar, start, longer)


@settings(max_examples=100, deadline=None)
@given(calendar=CALENDARS, start=STARTS, first=DURATIONS, second=DURATIONS)
def test_property_adding_in_two_steps_is_adding_once(calendar, start, first, second):
    in_one = add_working_time(calendar, start, first + second)
    in_two = add_working_time(calendar, add_working_time(calendar, start, first), second)
    assert in_one == in_two


@settings(max_examples=100, deadline=None)
@given(calendar=CALENDARS, start=STARTS, days=st.integers(min_value=1, max_value=200))
def test_property_each_added_working_day_ends_on_a_working_day_later(calendar, start, days):
    end = add_working_days(calendar, start, days)
    assert is_working_day(calendar, end.date())
    assert end.date() > start.astimezone(AMS).date()
    assert add_working_days(calendar, start, days + 1) > end
