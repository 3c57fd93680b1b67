"""Filter selects write their options in Python; they must still behave as Django's selects. A
filter that takes several values is checkboxes, which send the same repeated keys."""

from __future__ import annotations

import re

import pytest

from tests.html_forms import checkboxes, multiple_selects

pytestmark = pytest.mark.django_db


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S)
    assert match, f"no select named {name}"
    return match.group(0)


def test_a_multiple_choice_filter_keeps_every_chosen_option(client, coop, other_coop):
    html = client.get("/coops/?country=BG&country=AR").content.decode()

    assert multiple_selects(html) == []
    assert [box.value for box in checkboxes(html, "country") if box.checked] == ["AR", "BG"]


def test_option_labels_and_values_are_escaped(client, db):
    from tests.factories import SectorFactory

    SectorFactory(name="<script>alert(1)</script>", slug="xss")
    html = client.get("/coops/").content.decode()
    sector = html[html.index('id="id_sector"') :]
    sector = sector[: sector.index("</div>")]
    assert "<script>" not in sector
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in sector


def test_a_single_choice_filter_marks_its_choice(client, coop):
    from tests.factories import SkillFactory

    SkillFactory(name="Bookkeeping", slug="bookkeeping")
    html = client.get("/coops/?skill=bookkeeping").content.decode()
    skill = _select(html, "skill")
    assert re.findall(r'<option value="([\w-]+)" selected>', skill) == ["bookkeeping"]


def test_filters_stay_checkboxes_after_the_api_schema_was_built(client, coop, other_coop):
    """Building the OpenAPI schema reads each filter's form field off the class's filters, which
    django-filter caches there: the pages must not inherit that field's default select."""
    assert client.get("/api/v1/schema/").status_code == 200

    html = client.get("/coops/?country=BG&country=AR").content.decode()

    assert multiple_selects(html) == []
    assert [box.value for box in checkboxes(html, "country") if box.checked] == ["AR", "BG"]
