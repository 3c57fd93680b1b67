"""The request-help form starts with nothing chosen for the requester: no "---------" choice."""

from __future__ import annotations

import re

import pytest

from intake.forms import form_started_token
from intake.models import HelpRequest

pytestmark = pytest.mark.django_db

URL = "/request-help/"


def test_the_need_is_a_choice_of_real_needs_with_none_ticked(client):
    page = client.get(URL).content.decode()
    radios = re.findall(r'<input type="radio" name="need"[^>]*>', page)
    assert [re.search(r'value="([^"]*)"', r).group(1) for r in radios] == [
        value for value, _ in HelpRequest.Need.choices
    ]
    assert not any("checked" in radio for radio in radios)
    assert "---------" not in page


def test_the_country_select_asks_for_a_country(client):
    page = client.get(URL).content.decode()
    select = page.split('<select name="country"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>Choose a country…</option>' in select
    assert select.count('value=""') == 1


def test_sending_without_choosing_a_need_is_an_error_next_to_the_field(client):
    response = client.post(
        URL,
        {
            "organisation_name": "Olla Popular Cerro",
            "contact_name": "Rosa Requester",
            "contact_email": "rosa@olla.example",
            "country": "",
            "need": "",
            "description": "We need a booking system.",
            "budget_range": "unsure",
            "timeline": "soon",
            "started": form_started_token(),
            "website": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_need_error"' in page
    assert 'id="id_country_error"' in page
    assert not HelpRequest.objects.exists()
