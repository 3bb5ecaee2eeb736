"""When a post is open: its weekly hours and closed dates, and the days a traveller may arrive.

A notice's arrival window counts the receiving post's *open* days: a party listed for a Friday
with one day's grace at a post closed at weekends may still arrive on Monday. A party whose own
date became a closed day after it filed may arrive on the next open day.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from kordon.crossings.models import ClosedDate, OpeningHours, Post

# How far to look for an open day before saying there is none (a post closed for a season).
SEARCH_DAYS = 400


@dataclass
class PostCalendar:
    """A post's opening days, read once (two queries) and then asked many times."""

    post: Post
    hours: dict[int, tuple[time, time]] = field(default_factory=dict)
    closed: dict[date, str] = field(default_factory=dict)

    @classmethod
    def of(cls, post: Post) -> "PostCalendar":
        hours = {h.weekday: (h.opens, h.closes) for h in OpeningHours.objects.filter(post=post)}
        closed = dict(ClosedDate.objects.filter(post=post).values_list("date", "reason"))
        return cls(post, hours, closed)

    def is_open(self, day: date) -> bool:
        if day in self.closed:
            return False
        return not self.hours or day.weekday() in self.hours

    def why_closed(self, day: date) -> str:
        """The closed date's reason, or '' (a weekday on which the post does not open)."""
        return self.closed.get(day, "")

    def next_open(self, after: date) -> date | None:
        """The first open day strictly after `after`, or None within SEARCH_DAYS."""
        return self._walk(after, 1, 1)

    def first_open(self, on_or_after: date) -> date | None:
        return on_or_after if self.is_open(on_or_after) else self.next_open(on_or_after)

    def window(self, expected: date, early: int, late: int) -> tuple[date, date]:
        """From `early` open days before `expected` to `late` open days after it (a closed
        `expected` reaches one open day further, so there is always an open day to arrive on)."""
        start = self._walk(expected, -1, early) if early else expected
        needed = late + (0 if self.is_open(expected) else 1)
        end = self._walk(expected, 1, needed) if needed else expected
        return start or expected - timedelta(days=early), end or expected + timedelta(days=late)

    def listed_dates(self, day: date, early: int, late: int) -> tuple[date, date]:
        """The expected dates whose window covers `day`: an interval, since windows move with the date."""
        low = day
        while (day - low).days < SEARCH_DAYS and self.window(low - timedelta(days=1), early, late)[1] >= day:
            low -= timedelta(days=1)
        high = day
        while (high - day).days < SEARCH_DAYS and self.window(high + timedelta(days=1), early, late)[0] <= day:
            high += timedelta(days=1)
        return low, high

    def _walk(self, start: date, step: int, open_days: int) -> date | None:
        day, found = start, 0
        for _ in range(SEARCH_DAYS):
            day += timedelta(days=step)
            if self.is_open(day):
                found += 1
                if found == open_days:
                    return day
        return None
