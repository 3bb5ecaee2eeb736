"""Templates write dates with the formats of kordon/formats (per language), never with literal formats.

A literal such as `|date:"j F Y"` is English grammar in every language: Russian needs the month in the
genitive after a day ("5 июня", the "E" format), Kyrgyz the year first with its suffixes, Tajik the
izafet. Only machine formats stay literal: "Y-m-d" in an address or attribute, "c" for <time datetime>, "e"
(the time zone) and "l", the weekday's name, which Django translates.
"""

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.formats import date_format, time_format

KORDON = Path(__file__).resolve().parents[2] / "kordon"
FILTER = re.compile(r"""\|(date|time):\s*(["'])([^"']*)\2""")
NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "MONTH_DAY_FORMAT",
         "YEAR_MONTH_FORMAT", "TIME_FORMAT"}
MACHINE = {"Y-m-d", "c", "l", "e"}  # "e": the time zone's name


def literal_formats(source: str) -> list[str]:
    return [f"|{kind}:{quote}{fmt}{quote}" for kind, quote, fmt in FILTER.findall(source) if fmt not in NAMED | MACHINE]


def test_the_check_finds_literal_formats():
    source = ('{{ a|date:"j M H:i" }} {{ b|date:"DATE_FORMAT" }} <a href="?date={{ c|date:\'Y-m-d\' }}">'
              '{% blocktranslate with d=e|date:"l j F Y" %}{{ d }}{% endblocktranslate %} {{ f|time:"H:i" }}')
    assert literal_formats(source) == ['|date:"j M H:i"', '|date:"l j F Y"', '|time:"H:i"']


@pytest.mark.parametrize("path", sorted(p for p in KORDON.rglob("templates/**/*") if p.suffix in (".html", ".txt")),
                         ids=lambda p: str(p.relative_to(KORDON)))
def test_a_template_writes_dates_in_the_formats_of_its_language(path: Path):
    assert literal_formats(path.read_text()) == []


@pytest.mark.parametrize(("language", "short", "long"), [
    ("en", "5 Jun 14:30", "5 June 2026, 14:30"),
    ("ru", "5 июня, 14:30", "5 июня 2026 г., 14:30"),
    ("ky", "5-июнь, 14:30", "2026-ж. 5-июнь, 14:30"),
    ("tg", "5 июни, 14:30", "5 июни соли 2026, 14:30"),
])
def test_times_on_the_console_and_in_mail_read_the_way_each_language_writes_them(language, short, long):
    moment = datetime(2026, 6, 5, 14, 30)
    with translation.override(language):
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == short  # the road between the posts, alerts
        assert date_format(moment, "DATETIME_FORMAT") == long  # the overdue mail
        assert time_format(moment.time(), "TIME_FORMAT") == "14:30"  # opening hours
