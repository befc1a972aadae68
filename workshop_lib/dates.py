"""Dates as the workshop writes them, in one place: "4 May 2024", "May 2024", "2024", and
"4 May 2024, 14:05 UTC" for a moment.

English month names are spelled out here rather than taken from `strftime`, so the text is the
same whatever the machine's locale; the day has no leading zero. Any `datetime.date` works,
including `datetime.datetime` and pandas' `Timestamp`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

Precision = Literal["day", "month", "year"]


def format_day(value: dt.date) -> str:
    """A day as people read it: '4 May 2024'."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_month(value: dt.date, abbreviated: bool = False) -> str:
    """A month: 'July 2010', or 'Jul 2010' when `abbreviated` (for chart labels)."""
    name = MONTHS[value.month - 1]
    return f"{name[:3] if abbreviated else name} {value.year}"


def format_year(value: dt.date) -> str:
    """A year: '2010'."""
    return str(value.year)


def format_known(value: dt.date, precision: Precision) -> str:
    """A date written only as precisely as it is known: a day, a month or a year."""
    if precision == "year":
        return format_year(value)
    if precision == "month":
        return format_month(value)
    return format_day(value)


def format_moment(value: dt.datetime) -> str:
    """A moment in UTC, to the minute: '4 May 2024, 14:05 UTC' (a naive value is taken as UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return f"{format_day(value)}, {value:%H:%M} UTC"
