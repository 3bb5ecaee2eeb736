"""Builds valid TD3 machine-readable lines for test travellers (check digits computed, not typed)."""

from datetime import date

from kordon.notices.mrz import check_digit


def td3(surname: str, given: str, nationality: str, number: str, birth: date, sex: str, expiry: date) -> list[str]:
    name = f"{surname.replace(' ', '<')}<<{given.replace(' ', '<')}".upper()
    line1 = f"P<{nationality}{name}".ljust(44, "<")[:44]
    num = number.ljust(9, "<")
    dob, exp = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    personal = "<" * 14
    body = f"{num}{check_digit(num)}{nationality}{dob}{check_digit(dob)}{sex}{exp}{check_digit(exp)}{personal}{check_digit(personal)}"
    composite = check_digit(body[0:10] + body[13:20] + body[21:43])
    return [line1, body + composite]
