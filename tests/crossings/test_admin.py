"""Administrators edit crossings as data: posts, directions, rules and fees, in the Django admin."""

import html
import re

import pytest
from django.test import Client

from kordon.crossings.models import Crossing

pytestmark = pytest.mark.django_db


def change_form_data(client: Client, crossing: Crossing) -> dict[str, str]:
    """The crossing's change form as the browser would post it back, unchanged."""
    return admin_form_data(client, f"/admin/crossings/crossing/{crossing.pk}/change/")


def admin_form_data(client: Client, url: str) -> dict[str, str]:
    """An admin change form as the browser would post it back, unchanged."""
    page = client.get(url).content.decode()
    data: dict[str, str] = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag or ('type="checkbox"' in tag and "checked" not in tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = html.unescape(value.group(1)) if value else ("on" if 'type="checkbox"' in tag else "")
    for select, chosen in re.findall(r'<select name="([^"]+)".*?<option value="([^"]*)"[^>]*selected', page, re.S):
        data[select] = chosen
    for area, text in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        data[area] = html.unescape(text)
    return data


def test_an_administrator_sees_and_changes_a_crossing(admin_client: Client, crossing: Crossing):
    assert admin_client.get("/admin/crossings/crossing/").status_code == 200
    data = change_form_data(admin_client, crossing) | {"lead_time_days": "7"}
    response = admin_client.post(f"/admin/crossings/crossing/{crossing.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    crossing.refresh_from_db()
    assert crossing.lead_time_days == 7


def test_fee_lines_in_two_currencies_are_refused(admin_client: Client, crossing: Crossing):
    data = change_form_data(admin_client, crossing)
    total = int(data["fee_lines-TOTAL_FORMS"])
    data |= {"fee_lines-TOTAL_FORMS": str(total + 1), f"fee_lines-{total}-item": "vehicle:car",
             f"fee_lines-{total}-amount": "500", f"fee_lines-{total}-currency": "KGS",
             f"fee_lines-{total}-crossing": str(crossing.pk)}
    response = admin_client.post(f"/admin/crossings/crossing/{crossing.pk}/change/", data)
    assert response.status_code == 200
    assert "must be in one currency" in response.content.decode()
    assert crossing.fee_lines.count() == 1


def test_an_officer_cannot_open_the_admin(client: Client, officer):
    client.login(username=officer[0].user.username, password="correct-horse-9")
    assert client.get("/admin/crossings/crossing/").status_code == 302
