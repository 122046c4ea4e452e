"""Working days (工作日) in mainland China: deadlines such as "30个工作日内完成整改".

Public holidays and the 调休 weekend days worked in their place come from the ``holidays``
library (its China calendar, kept up to date with each year's State Council notice); an
office's own corrections — a notice the library does not know yet, a local day off — go in
``WorkdayOverride`` (管理 → 工作日调整), which wins over the library.

``add_workdays`` is pure: it takes the overrides as a mapping; ``workday_overrides`` reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache

import holidays

#: How far a deadline may run: a year and a half of days is beyond any rectification period.
MAX_DAYS = 550


@lru_cache(maxsize=64)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("CN", years=year, language="zh_CN")


def is_workday(day: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> bool:
    """Monday to Friday unless a public holiday; a weekend day worked in a holiday's place
    (调休) is a workday; an override decides first."""
    if overrides and day in overrides:
        return overrides[day]
    return _calendar(day.year).is_working_day(day)


def add_workdays(start: dt.date, count: int, overrides: Mapping[dt.date, bool] | None = None) -> dt.date:
    """The ``count``-th workday after ``start`` (``start`` itself not counted): 5 workdays after
    Thursday 2024-02-08 is 2024-02-21 — Friday the 9th, the 调休 Sunday the 18th, then the 19th
    to the 21st; the Spring Festival's days off (10th to 17th) skipped."""
    if count < 0:
        raise ValueError("count must not be negative")
    day, found = start, 0
    for _ in range(MAX_DAYS):
        if found == count:
            return day
        day += dt.timedelta(days=1)
        if is_workday(day, overrides):
            found += 1
    raise ValueError(f"no {count} workdays within {MAX_DAYS} days of {start}")


def workdays_between(start: dt.date, end: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> int:
    """Workdays after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -workdays_between(end, start, overrides)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_workday(start + dt.timedelta(days=offset), overrides)
    )


def holiday_name(day: dt.date) -> str:
    """The library's name of the day off (春节, 国庆节…), or ""."""
    return _calendar(day.year).get(day, "")


def workday_overrides() -> dict[dt.date, bool]:
    """The office's corrections (date → is a workday), from the database."""
    from .models import WorkdayOverride

    return dict(WorkdayOverride.objects.values_list("date", "is_workday"))


def deadline_after(start: dt.date, count: int) -> dt.date:
    """``add_workdays`` with the office's corrections."""
    return add_workdays(start, count, workday_overrides())
