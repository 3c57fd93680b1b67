"""Several choices are checkboxes (issue 17: long multi-selects become searchable checkbox lists):
a short list plainly, a long one in a scrolling box with a filter box that only the script
shows. What the form sends, cleans and refuses is what a `<select multiple>` sent, cleaned and
refused."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.http import QueryDict

from patio.forms import SearchableCheckboxes
from tests.html_forms import checkboxes

pytestmark = pytest.mark.pure

COUNTRIES = [
    ("AR", "Argentina"),
    ("BG", "Bulgaria"),
    ("CL", "Chile"),
    ("DE", "Germany"),
    ("ES", "Spain"),
    ("FR", "France"),
    ("JP", "Japan"),
    ("MX", "Mexico"),
    ("UY", "Uruguay"),
]


def _form(choices, *, widget=None, required=False, data=None):
    class ChoiceForm(forms.Form):
        chosen = forms.MultipleChoiceField(
            label="Countries",
            choices=choices,
            required=required,
            widget=widget or SearchableCheckboxes,
            help_text="Where you work.",
        )

    return ChoiceForm(data)


def test_a_long_list_is_checkboxes_in_a_scrolling_box_with_a_filter_box_hidden_until_the_script():
    html = str(_form(COUNTRIES)["chosen"].as_field_group())

    assert "<select" not in html
    assert re.search(
        r"<fieldset aria-describedby=\"id_chosen_helptext\"><legend>Countries</legend>", html
    )
    assert '<div class="checklist-options" id="id_chosen">' in html
    tools = re.search(
        r'<div class="checklist-tools" data-checklist-tools hidden>(.*?)</div>', html, re.S
    )
    assert tools, "the filter box is there, hidden: without the script it could filter nothing"
    assert '<label for="id_chosen_filter">Filter the list</label>' in tools[1]
    # The box has no name, so it never travels with the form.
    assert re.search(r'<input type="search" id="id_chosen_filter"(?![^>]*name=)[^>]*>', tools[1])
    assert 'aria-live="polite"' in tools[1]
    assert re.search(r"data-checklist-summary hidden", html)
    assert 'data-count-text="%(shown)s of %(total)s shown"' in html
    boxes = checkboxes(html, "chosen")
    assert [(b.value, b.label, b.id) for b in boxes][:2] == [
        ("AR", "Argentina", "id_chosen_0"),
        ("BG", "Bulgaria", "id_chosen_1"),
    ]
    assert len(boxes) == len(COUNTRIES) and not any(b.checked for b in boxes)


def test_a_short_list_is_plain_checkboxes():
    html = str(_form(COUNTRIES[:8])["chosen"].as_field_group())

    assert '<div class="checklist-plain" id="id_chosen">' in html
    assert "data-checklist-filter" not in html and "Filter the list" not in html
    assert [b.label for b in checkboxes(html, "chosen")] == [name for _c, name in COUNTRIES[:8]]


def test_in_a_long_list_the_chosen_come_first_and_keep_their_ids():
    form = _form(COUNTRIES, data=QueryDict("chosen=UY&chosen=BG"))
    boxes = checkboxes(str(form["chosen"]), "chosen")

    assert [(b.label, b.checked) for b in boxes[:3]] == [
        ("Bulgaria", True),
        ("Uruguay", True),
        ("Argentina", False),
    ]
    # An option's id is its place among the choices, whatever order it is shown in.
    assert {b.value: b.id for b in boxes}["UY"] == "id_chosen_8"


def test_the_form_reads_cleans_and_refuses_as_with_a_select_multiple():
    for data in ["chosen=UY&chosen=BG", "", "chosen=XX", "chosen=AR&chosen=AR"]:
        checklist = _form(COUNTRIES, required=True, data=QueryDict(data))
        select = _form(COUNTRIES, required=True, widget=forms.SelectMultiple, data=QueryDict(data))
        assert checklist.is_valid() == select.is_valid(), data
        assert checklist.errors == select.errors, data
        assert checklist.cleaned_data == select.cleaned_data, data
        assert checklist.has_changed() == select.has_changed(), data


def test_labels_and_values_are_escaped():
    html = str(_form([('"><script>', "<b>bold</b>"), *COUNTRIES])["chosen"])

    assert "<script>" not in html and "<b>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;"' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_options_in_groups_get_a_fieldset_each_and_may_follow_the_readers_alphabet():
    grouped = [
        ("Development", [("1", "Python"), ("2", "Django"), ("3", "Élixir")]),
        ("Design", [(str(n), f"Skill {n}") for n in range(4, 11)]),
    ]
    html = str(_form(grouped, widget=SearchableCheckboxes(order_by_label=True))["chosen"])

    groups = re.findall(r"<fieldset data-checklist-group><legend>(.*?)</legend>", html)
    assert groups == ["Development", "Design"]
    development = html[html.index("Development") : html.index("Design")]
    # Accents aside, as a reader looks for them: Django, Élixir, Python.
    assert [b.label for b in checkboxes(development, "chosen")] == ["Django", "Élixir", "Python"]


def test_the_widget_brings_its_script_deferred():
    media = str(_form(COUNTRIES).media)
    assert re.fullmatch(r'<script src="[^"]*js/checklist[^"]*\.js" defer></script>', media), media
