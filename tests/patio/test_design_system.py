"""The shared parts of every page (issue "Made for 26 countries and for phones"): the header's
menu and one-click language menu with the current section marked, the error summary of a failed
form, and charts whose labels are never clipped and whose money in and out differ by more than
colour."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from fund.views import _month_charts
from patio.charts import LABEL_CHARS, bar_chart
from tests.factories import OrganisationFactory


def _header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


@pytest.mark.django_db
def test_the_current_section_is_marked_in_the_main_menu(client, member, login):
    OrganisationFactory(slug="camplight-two")
    page = _header(login(member.user).get("/coops/").content.decode())

    assert re.findall(r'<a href="([^"]+)" aria-current="(\w+)"', page) == [("/coops/", "page")]

    inside = _header(client.get("/coops/camplight-two/").content.decode())
    assert re.findall(r'<a href="([^"]+)" aria-current="(\w+)"', inside) == [("/coops/", "true")]


@pytest.mark.django_db
def test_the_menu_works_without_javascript_and_the_language_menu_changes_in_one_click(client):
    header = _header(client.get("/coops/").content.decode())

    assert '<details class="site-menu" open' in header  # open in the page; the script folds it
    assert "Change</button>" not in header
    buttons = re.findall(r'<button type="submit" name="language" value="([\w-]+)"', header)
    assert buttons == ["en", "bg", "es", "fr", "ja", "pt-br", "ru", "tr"]

    # One click is one POST of that button's value: the page comes back in that language.
    response = client.post("/i18n/setlang/", {"language": "pt-br", "next": "/coops/"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/coops/"
    assert '<html lang="pt-br">' in page
    assert re.search(r'value="pt-br" lang="pt-br" class="link" aria-current="true"', page)


@pytest.mark.django_db
def test_a_failed_form_opens_with_an_error_summary_that_takes_focus_and_links_to_each_field(
    login, coop_admin
):
    response = login(coop_admin.user).post(
        "/fund/contributions/new/", {"organisation": "", "amount": "-3", "currency": "EUR"}
    )
    page = response.content.decode()

    assert response.status_code == 200
    summary = page[page.index('<div class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert 'tabindex="-1" autofocus' in summary and 'role="alert"' in summary
    assert "There is a problem" in summary
    links = re.findall(r'<a href="#(id_\w+)">', summary)
    assert "id_amount" in links and "id_received_on" in links
    for field_id in links:  # each link lands on its field, which shows its own error beside it
        assert f'id="{field_id}"' in page


@pytest.mark.pure
def test_a_long_label_is_shortened_with_its_full_text_kept_and_every_bar_fits():
    long_name = "Marketing and communication for co-operative federations worldwide"
    chart = bar_chart([(long_name, 40), ("Design", 10)], title="People by skill category")

    first, second = chart.bars
    assert len(first.label) <= LABEL_CHARS and first.label.endswith("…")
    assert first.full_label == long_name and second.label == "Design"
    assert all(bar.value_x + 40 <= chart.width for bar in chart.bars)  # the value fits after it
    assert chart.width <= 390


@pytest.mark.pure
def test_the_funds_chart_shows_money_in_and_out_in_two_patterns_with_a_legend():
    rows = [
        {"month": datetime.date(2026, 10, 1), "currency": "EUR", "money_in": 900, "money_out": 250},
        {"month": datetime.date(2026, 11, 1), "currency": "EUR", "money_in": 300, "money_out": 400},
    ]
    with translation.override("es"):
        html = render_to_string("fund/includes/month_charts.html", {"charts": _month_charts(rows)})

    chart = html[html.index('<figure class="chart">') : html.index("</figure>")]
    legend = chart[chart.index('class="chart-legend"') : chart.index("</ul>")]
    assert "Entradas" in legend and "Salidas" in legend
    # Two bars of each and the legend's swatch of each.
    assert chart.count('class="bar in"') == 3 and chart.count('class="bar out"') == 3
    assert chart.count('fill="url(#stripes)"') == 3  # two bars and the legend's swatch
    assert '<pattern id="stripes"' in html
    assert "octubre de 2026" in chart  # months as the language writes them, never 10/2026
    assert "900,00\xa0€" in chart  # and sums of money as it writes them
    assert not re.search(r"\d{1,2}/\d{4}", chart)


PHYSICAL = re.compile(
    r"(?<![-\w])(?:(?:margin|padding|border)-(?:left|right|top|bottom)|left|right|top|bottom)\s*:"
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)"
)


@pytest.mark.pure
def test_the_stylesheets_use_logical_properties_only_so_right_to_left_needs_no_css_change():
    from django.conf import settings

    found = []
    for sheet in sorted((settings.BASE_DIR / "static" / "css").glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        for number, line in enumerate(text.splitlines(), 1):
            if PHYSICAL.search(line):
                found.append(f"{sheet.name}:{number}: {line.strip()}")
    assert found == []
