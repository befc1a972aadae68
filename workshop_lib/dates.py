"""Dates as the workshop writes them, in one place, in the current language: "4 May 2024",
"May 2024", "2024", and "4 May 2024, 14:05 UTC" for a moment; in French "4 mai 2024",
"1er mai 2024", "mai 2024", "4 mai 2024, 14 h 05 UTC".

Month names and the order of a date's parts are interface strings of the gettext catalog (the
English names are the msgids), not taken from `strftime` or a locale, so the text is the same
whatever the machine's locale and needs no Babel at run time; the day has no leading zero. Any
`datetime.date` works, including `datetime.datetime` and pandas' `Timestamp`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from workshop_lib.i18n.catalog import N_, _

MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
# For chart labels: the English ones are the first three letters of the names.
MONTHS_ABBREVIATED = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)

Precision = Literal["day", "month", "year"]


def month_name(month: int, abbreviated: bool = False) -> str:
    """The name of a month (1 to 12) in the current language: 'July' or 'Jul'."""
    return _((MONTHS_ABBREVIATED if abbreviated else MONTHS)[month - 1])


def format_day(value: dt.date) -> str:
    """A day as people read it: '4 May 2024' ('4 mai 2024', '1er mai 2024' in French)."""
    month = month_name(value.month)
    if value.day == 1:
        # The first of a month has its own form in some languages (French: "1er mai 2024").
        return _("1 {month} {year}").format(month=month, year=value.year)
    return _("{day} {month} {year}").format(day=value.day, month=month, year=value.year)


def format_month(value: dt.date, abbreviated: bool = False) -> str:
    """A month: 'July 2010', or 'Jul 2010' when `abbreviated` (for chart labels)."""
    month = month_name(value.month, abbreviated)
    return _("{month} {year}").format(month=month, year=value.year)


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
    """A moment in UTC, to the minute: '4 May 2024, 14:05 UTC' ('4 mai 2024, 14 h 05 UTC' in
    French); a naive value is taken as UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return _("{date}, {hour:02d}:{minute:02d} UTC").format(
        date=format_day(value), hour=value.hour, minute=value.minute
    )
