"""Reading what a traveller wrote: the date, the direction, how many people, the plate, yes, stop.

English and Russian, as travellers write them: "30 May", "May 30", "30.05.2027", "2027-05-30",
"30 мая". A vague day ("next week", "в июне") is not guessed: it is reported as vague, to be
asked back. Nothing here touches the database.
"""

import re
from dataclasses import dataclass, field
from datetime import date

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9,
    "окт": 10, "ноя": 11, "дек": 12,
}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|янв|фев|мар|апр|мая|май|июн|июл|авг|сен|окт|ноя|дек)\w*"
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?(?:\s+(\d{{4}}))?", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})(?:[./](\d{4}|\d{2}))?\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_VAGUE = re.compile(
    r"\b(next|this|coming)\s+(week|month|weekend)|\bsoon\b|\bin\s+(a few|some)\s+days|\blater\b"
    r"|на\s+(следующей|этой)\s+неделе|в\s+следующем\s+месяце|скоро|через\s+(несколько|пару)\s+дней"
    rf"|\b(?:in|early|late|mid|в|в начале|в конце)\s+{_MONTH}\b(?!\s*\d)", re.I)

_TO_KG = re.compile(r"\b(to|into|enter\w*)\s+(kyrgyz\w*|kg)\b|в\s+кыргыз\w*|в\s+киргиз\w*|tj\s*[-–>→]+\s*kg"
                    r"|from\s+tajik\w*|из\s+таджик\w*|kyrgyz\w*\s+entry", re.I)
_TO_TJ = re.compile(r"\b(to|into|enter\w*)\s+(tajik\w*|tj)\b|в\s+таджик\w*|kg\s*[-–>→]+\s*tj"
                    r"|from\s+kyrgyz\w*|из\s+кыргыз\w*|из\s+киргиз\w*", re.I)

_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "один": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6,
                 "двое": 2, "трое": 3, "четверо": 4, "пятеро": 5, "шестеро": 6}
_PEOPLE = re.compile(r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight)\s+"
                     r"(people|persons|travell?ers|adults|of us)\b"
                     r"|\bwe\s+are\s+(\d{1,2}|two|three|four|five|six)\b|\b(alone|solo|just me)\b"
                     r"|\bнас\s+(\d{1,2}|двое|трое|четверо|пятеро|шестеро)\b"
                     r"|\b(\d{1,2}|два|две|три|четыре|пять|шесть)\s+(человек\w*|пассажир\w*)"
                     r"|\b(один|одна)\s+еду\b", re.I)
_PLATE = re.compile(r"\b(?:plate|number plate|registration|reg\b\.?|номер|госномер)(?![\w])\s*(?:is|:|-)?\s*"
                    r"([A-Z0-9А-Я][A-Z0-9А-Я \-]{3,12}[A-Z0-9А-Я])", re.I)
_VEHICLE_KINDS = [("motorcycle", r"motorbike|motorcycle|мотоцикл"), ("bicycle", r"bicycle|bike\b|велосипед"),
                  ("camper", r"camper|motorhome|van\b|кемпер|автодом"), ("truck", r"truck|lorry|грузовик"),
                  ("car", r"\bcar\b|jeep|4x4|машин\w*|автомобил\w*")]
# The vehicle's registration country, only where the traveller says it (never guessed from a passport).
_COUNTRY_WORDS = {
    "DE": r"german\w*|немецк\w*|германи\w*", "NL": r"dutch|netherlands|holland|голландск\w*|нидерланд\w*|голланди\w*",
    "FR": r"french|france|французск\w*|франци\w*", "GB": r"british|uk|united kingdom|england|britain|британск\w*"
    r"|английск\w*|великобритани\w*|англи[иея]", "CH": r"swiss|switzerland|швейцарск\w*|швейцари\w*",
    "IT": r"italian|italy|итальянск\w*|итали\w*", "ES": r"spanish|spain|испанск\w*|испани\w*",
    "PL": r"polish|poland|польск\w*|польш\w*", "AT": r"austrian|austria|австрийск\w*|австри\w*",
    "BE": r"belgian|belgium|бельгийск\w*|бельги\w*", "CZ": r"czech\w*|чешск\w*|чехи\w*",
    "RU": r"russian|russia|российск\w*|росси\w*|русск\w*", "KG": r"kyrgyz\w*|кыргыз\w*|киргиз\w*",
    "TJ": r"tajik\w*|таджик\w*", "KZ": r"kazakh\w*|казах\w*", "UZ": r"uzbek\w*|узбек\w*",
    "TR": r"turkish|turkey|türkiye|турецк\w*|турци\w*", "US": r"american|usa|united states|американск\w*|сша",
    "LT": r"lithuanian|lithuania|литовск\w*|литв\w*", "LV": r"latvian|latvia|латвийск\w*|латви\w*",
    "UA": r"ukrainian|ukraine|украинск\w*|украин\w*", "AU": r"australian|australia|австралийск\w*|австрали\w*",
}
_ANY_COUNTRY = "(?P<country>" + "|".join(_COUNTRY_WORDS.values()) + ")"
_VEHICLE_COUNTRY = [re.compile(pattern.format(c=_ANY_COUNTRY), re.I) for pattern in (
    r"\bregistered\s+in\s+(?:the\s+)?{c}\b",
    r"\b{c}\s+(?:number\s+)?(?:plates?|registration|reg\b|car|van|camper|motorbike|motorcycle|truck|vehicle|jeep)",
    r"\b(?:plates?|car|vehicle|van|camper)\s+(?:is\s+)?(?:from|of)\s+(?:the\s+)?{c}\b",
    r"(?:зарегистрирован\w*|на\s+уч[её]те)\s+в\s+{c}",
    r"{c}\s+(?:номер\w*|машин\w*|автомобил\w*|регистраци\w*)",
    r"(?:номер\w*|машин\w*|автомобил\w*)\s+(?:из\s+)?{c}",
    r"^\W*(?:it\s+is\s+|it's\s+)?(?:the\s+)?{c}\W*$",  # the answer to our question: "Germany"
)]
# A plate written with its country's sign, as these countries' plates carry it: "01 KG 123 ABC", "А123ВС 77 RUS".
_PLATE_SIGN = {"KG": "KG", "TJ": "TJ", "KZ": "KZ", "UZ": "UZ", "RUS": "RU"}
_YES = re.compile(r"^\s*(yes|y|yep|ok|okay|confirm\w*|correct|да|ага|подтверждаю|верно|всё верно|все верно)\W*$", re.I)
_STOP = re.compile(r"^\s*(stop|unsubscribe|стоп|отписаться)\W*$", re.I)
_CYRILLIC = re.compile(r"[а-яё]", re.I)


@dataclass
class Reading:
    expected_date: date | None = None
    vague_date: bool = False
    direction: str = ""
    people: int | None = None
    plate: str = ""
    vehicle_kind: str = ""
    vehicle_country: str = ""  # ISO 3166-1 alpha-2, only when the traveller said it
    yes: bool = False
    stop: bool = False
    language: str = ""
    problems: list[str] = field(default_factory=list)


def language_of(text: str) -> str:
    return "ru" if _CYRILLIC.search(text) else "en" if re.search(r"[a-z]", text, re.I) else ""


def read_text(text: str, today: date) -> Reading:
    """What `text` says; dates without a year are the next such day from `today`."""
    reading = Reading(language=language_of(text), yes=bool(_YES.match(text)), stop=bool(_STOP.match(text)))
    reading.expected_date = _date(text, today)
    reading.vague_date = reading.expected_date is None and bool(_VAGUE.search(text))
    reading.direction = "TJ-KG" if _TO_KG.search(text) else "KG-TJ" if _TO_TJ.search(text) else ""
    reading.people = _people(text)
    # A plate has a digit: "registration papers" is not one.
    plate = next((m for m in _PLATE.finditer(text) if any(c.isdigit() for c in m.group(1))), None)
    if plate:
        reading.plate = re.sub(r"\s+", " ", plate.group(1)).strip().upper()
    reading.vehicle_country = _vehicle_country(text, reading.plate)
    for kind, pattern in _VEHICLE_KINDS:
        if re.search(pattern, text, re.I):
            reading.vehicle_kind = kind
            break
    return reading


def _vehicle_country(text: str, plate: str) -> str:
    """The registration country the traveller names ("German plates", "registered in the Netherlands",
    "номера немецкие", or a plate with its sign: "01 KG 123 ABC"); "" when not said."""
    for pattern in _VEHICLE_COUNTRY:
        found = pattern.search(text)
        if found:
            word = found["country"]
            return next(code for code, words in _COUNTRY_WORDS.items() if re.fullmatch(words, word, re.I))
    signs = [_PLATE_SIGN[token] for token in plate.split() if token in _PLATE_SIGN]
    return signs[0] if len(set(signs)) == 1 else ""


def _date(text: str, today: date) -> date | None:
    for match in _ISO.finditer(text):
        found = _real(int(match[1]), int(match[2]), int(match[3]))
        if found:
            return found
    for match in _DAY_MONTH.finditer(text):
        found = _with_year(int(match[1]), MONTHS[match[2][:3].lower()], match[3], today)
        if found:
            return found
    for match in _MONTH_DAY.finditer(text):
        found = _with_year(int(match[2]), MONTHS[match[1][:3].lower()], match[3], today)
        if found:
            return found
    for match in _NUMERIC.finditer(text):
        year = match[3]
        if year and len(year) == 2:
            year = f"20{year}"
        found = _with_year(int(match[1]), int(match[2]), year, today)  # day first, as both languages write it
        if found:
            return found
    return None


def _with_year(day: int, month: int, year: str | None, today: date) -> date | None:
    if year:
        return _real(int(year), month, day)
    this_year = _real(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    return _real(today.year + 1, month, day)


def _real(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _people(text: str) -> int | None:
    match = _PEOPLE.search(text)
    if not match:
        return None
    if match[4] or match[8]:
        return 1
    word = next(g for g in (match[1], match[3], match[5], match[6]) if g)
    return int(word) if word.isdigit() else _WORD_NUMBERS[word.lower()]
