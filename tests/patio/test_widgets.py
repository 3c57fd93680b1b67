"""Filter selects write their options in Python; they must still behave as Django's selects."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S)
    assert match, f"no select named {name}"
    return match.group(0)


def test_a_multiple_choice_filter_keeps_every_chosen_option(client, coop, other_coop):
    html = client.get("/coops/?country=BG&country=AR").content.decode()
    country = _select(html, "country")
    assert " multiple" in country.split(">")[0]  # a browser sends every chosen option
    assert re.findall(r'<option value="(\w+)" selected>', country) == ["AR", "BG"]


def test_option_labels_and_values_are_escaped(client, db):
    from tests.factories import SectorFactory

    SectorFactory(name="<script>alert(1)</script>", slug="xss")
    html = client.get("/coops/").content.decode()
    sector = _select(html, "sector")
    assert "<script>" not in sector
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in sector


def test_a_single_choice_filter_marks_its_choice(client, coop):
    html = client.get("/coops/?kind=worker_coop").content.decode()
    kind = _select(html, "kind")
    assert re.findall(r'<option value="(\w+)" selected>', kind) == ["worker_coop"]
