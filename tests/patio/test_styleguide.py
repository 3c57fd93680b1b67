"""The styleguide (issue 17, "A design system, phone first"): one page, for network admins, that
shows every token of the stylesheet and every component, drawn by the parts the pages use.

Who may open it is a matrix (tests/matrix.py): only a network admin; a member, a coordinator and
a co-op admin get 403, a visitor and a token holder the login page (pages ignore tokens). Then
the page itself: a section per token family and per component, each with a marker of the real
component in it; a constant number of queries; every colour pair it lists reaching its contrast,
computed from the stylesheet; and the empty-state include on the pages that share it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse

from circles.models import CircleMembership
from patio import design
from tests import matrix
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.matrix import LOGIN, TOKEN_ROLES

ROLES = ("visitor", "member", "coordinator", "coop_admin", "network_admin", *TOKEN_ROLES)

#                                  visitor member coord  c-admin n-admin tok-r  tok-w
MATRIX = {
    "page: open the styleguide": (LOGIN, 403, 403, 403, 200, LOGIN, LOGIN),
    "page: its samples' stylesheet": (LOGIN, 403, 403, 403, 200, LOGIN, LOGIN),
}


@dataclass(kw_only=True)
class World(matrix.Cast):
    pass


@pytest.fixture
def world(member, colleague, coop_admin, network_admin) -> World:
    circle = CircleFactory(name="Job opportunities", slug="job-opportunities")
    CircleMembershipFactory(circle=circle, person=colleague, role=CircleMembership.Role.COORDINATOR)
    return World(
        users={
            "member": member.user,
            "coordinator": colleague.user,
            "coop_admin": coop_admin.user,
            "network_admin": network_admin,
        },
        # The network admin's own tokens: even theirs does not open a page.
        secrets=matrix.api_tokens(user=network_admin),
    )


def _run(action: str, world: World, role: str) -> matrix.Outcome:
    page, _api = world.clients(role)
    match action:
        case "page: open the styleguide":
            return matrix.outcome(page.get(reverse("styleguide")))
        case "page: its samples' stylesheet":
            return matrix.outcome(page.get(reverse("styleguide_samples")))
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), matrix.cases(MATRIX, ROLES))
def test_permission_matrix(world, action, role, expected):
    with matrix.writes_as_allowed(action, expected, lambda: None, reads=set(MATRIX)):
        assert _run(action, world, role) == expected


# The page -----------------------------------------------------------------------------------------
# Each section's heading, and what shows that the real component is drawn in it.
SECTIONS = {
    "Colour": ['<span class="token-sample colour token-accent"', "<code>--accent</code>"],
    "Contrast": ['class="pair-sample pair-ink-on-bg-text"', "<code>--focus-ink</code>"],
    "Type scale": ['<span class="token-text-xs">', "<code>--text-xl</code>"],
    "Spacing": ['class="token-sample space token-space-1"', "<code>--space-6</code>"],
    "Radius": ['class="token-sample radius token-radius-pill"', "<code>--radius-s</code>"],
    "Header": ["<code>.site-header</code>"],
    "Navigation": ['<nav class="subnav"', 'aria-current="page"'],
    "Language menu": ["<code>.language-switcher</code>"],
    "Buttons": [
        '<button type="button">',
        '<button type="button" class="secondary">',
        '<button type="button" class="link">',
        '<button type="button" class="danger">',
        '<button type="button" disabled>',
        '<a class="button"',
    ],
    "Forms": [
        '<div class="error-summary" role="alert"',
        '<div class="field has-error">',
        'href="#id_sample-name"',
        'href="#id_sample-email"',
        "This field is required.",
        "Enter a valid email address.",
    ],
    "Tables": ['<table class="stack">', 'data-label="Coordinator"', 'class="table-scroll"'],
    "Cards": ['<ul class="cards">', '<li class="card">', '<ul class="tags"'],
    "Badges and tags": ['<span class="badge">', '<span class="badge warning">'],
    "Messages and alerts": ['<p class="notice">'],
    "Pagination": ['<nav class="pagination"', "Page 2 of 6", 'href="?page=1"', 'href="?page=3"'],
    "Empty states": ['<p class="empty-state">'],
    "Charts": ['<figure class="chart">', '<pattern id="stripes"', 'class="bar out"'],
}


def _sections(html: str) -> dict[str, str]:
    """Each section of the page's main, by its h2."""
    main = html[html.index('<main id="main"') : html.index("</main>")]
    found = {}
    for match in re.finditer(
        r"<section id=\"[\w-]+\" aria-labelledby=\"[\w-]+\">(.*?)</section>", main, re.S
    ):
        heading = re.search(r"<h2 id=\"[\w-]+\">(.*?)</h2>", match.group(1))
        assert heading, match.group(1)[:200]
        found[heading.group(1)] = match.group(1)
    return found


@pytest.mark.django_db
def test_the_styleguide_shows_every_token_and_component_in_constant_queries(
    login, network_admin, django_assert_max_num_queries, count_queries
):
    client = login(network_admin)
    with count_queries() as first:
        response = client.get(reverse("styleguide"))
    page = response.content.decode()

    assert response.status_code == 200
    sections = _sections(page)
    assert list(sections) == list(SECTIONS)
    for heading, markers in SECTIONS.items():
        section = sections[heading]
        assert "Use it for:" in section, heading
        assert "Template or class:" in section, heading
        missing = [marker for marker in markers if marker not in section]
        assert missing == [], heading
    # The messages of each level, shown by base.html above the heading as any page's are.
    for level in ("info", "success", "warning", "error"):
        assert f'<p class="message {level}">' in page
    assert page.index('<div class="messages"') < page.index("<h1>")
    # The real header and language menu are on the page itself.
    assert '<header class="site-header">' in page and '<details class="language-switcher">' in page
    # Every token of the sheet, each once in its family's table.
    for group in design.token_groups(design.stylesheet()):
        for token in group.tokens:
            row = f"<code>--{token.name}</code></th>"
            assert sections[str(group.title)].count(row) == 1, token.name
    assert f'<link rel="stylesheet" href="{reverse("styleguide_samples")}">' in page

    # Another page of the sample list, and the sample form sent by the reader: the same queries.
    sent = {
        "page": "5",
        "sample-name": "Finance",
        "sample-email": "finance@patio.coop",
        "sample-rhythm": "weekly",
    }
    with django_assert_max_num_queries(first.count), count_queries() as again:
        response = client.get(reverse("styleguide"), sent)
    assert again.count == first.count, again.report()
    assert first.count <= 3, first.report()  # the session and the user: nothing per component
    page = response.content.decode()
    assert "Page 5 of 6" in page
    assert 'value="Finance"' in page and "error-summary" not in page


@pytest.mark.django_db
def test_the_samples_stylesheet_paints_each_token_and_pair_through_the_token_itself(
    login, network_admin
):
    response = login(network_admin).get(reverse("styleguide_samples"))
    sheet = response.content.decode()

    assert response["Content-Type"].startswith("text/css")
    css = design.stylesheet()
    for group in design.token_groups(css):
        for token in group.tokens:
            assert f".token-{token.name} {{ {group.property}: var(--{token.name}); }}" in sheet
    for contrast in design.contrasts(css):
        assert f".pair-{contrast.key} " in sheet
    assert "#" not in sheet.split("*/", 1)[1]  # no colour of its own: only the sheet's tokens


# The tokens and their contrast --------------------------------------------------------------------
@pytest.mark.pure
def test_the_contrast_formula_gives_the_known_ratios():
    assert round(design.contrast_ratio("#ffffff", "#000000"), 1) == 21.0
    assert round(design.contrast_ratio("#777777", "#ffffff"), 2) == 4.48  # just too faint
    assert design.contrast_ratio("#1d2125", "#ffffff") == design.contrast_ratio(
        "#ffffff", "#1d2125"
    )


@pytest.mark.pure
def test_every_colour_pair_the_guide_lists_reaches_its_contrast_computed_from_the_stylesheet():
    css = design.stylesheet()
    found = design.contrasts(css)

    faint = {
        f"--{c.pair.foreground} on --{c.pair.background} ({c.pair.need.name})": round(c.ratio, 2)
        for c in found
        if c.ratio < (4.5 if c.pair.need is design.Need.TEXT else 3.0)
    }
    assert faint == {}
    assert {c.pair.need for c in found} == set(design.Need)
    # Both tones of the focus ring are checked against the backgrounds a control sits on.
    focus = {
        (c.pair.foreground, c.pair.background) for c in found if c.pair.need is design.Need.FOCUS
    }
    assert {
        ("focus-ink", "bg"),
        ("focus-ink", "soft"),
        ("focus", "accent"),
        ("focus", "error"),
    } <= focus


@pytest.mark.pure
def test_every_token_belongs_to_a_family_and_every_colour_to_a_pair_or_a_reason():
    css = design.stylesheet()
    groups = {group.key: group for group in design.token_groups(css)}  # raises for a stray token

    assert all(groups[key].tokens for key in ("colour", "text", "space", "radius"))
    colours = {token.name for token in groups["colour"].tokens}
    paired = {name for pair in design.PAIRS for name in (pair.foreground, pair.background)}
    assert colours - paired - set(design.DECORATIVE) == set()
    assert (paired | set(design.DECORATIVE)) - colours == set()  # no pair names a lost token


@pytest.mark.pure
def test_a_token_of_no_family_is_refused_rather_than_left_out_of_the_guide():
    with pytest.raises(ValueError, match="--shadow-1"):
        design.token_groups(":root { --ink: #000000; --shadow-1: 0 1px 2px black; }")


@pytest.mark.pure
def test_the_stylesheets_paint_with_the_tokens_only():
    """A colour, type size or radius written out in a rule is one the guide does not show."""
    from django.conf import settings

    found = []
    for sheet in sorted((settings.BASE_DIR / "static" / "css").glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r":root\s*\{.*?\}", "", text, count=1, flags=re.S)
        for number, line in enumerate(text.splitlines(), 1):
            if re.search(r"#[0-9a-fA-F]{3,6}\b|font-size:\s*[\d.]+r?em|border-radius:\s*\d", line):
                found.append(f"{sheet.name}:{number}: {line.strip()}")
    assert found == []


# The shared includes it documents ----------------------------------------------------------------
@pytest.mark.django_db
def test_a_list_with_nothing_to_show_uses_the_shared_empty_state(client):
    page = client.get("/coops/?country=FR").content.decode()

    assert '<li class="empty-state">No co-op matches. Try fewer filters.</li>' in page


@pytest.mark.django_db
def test_a_network_admin_finds_the_styleguide_in_the_admin(login, network_admin):
    page = login(network_admin).get("/admin/").content.decode()

    assert f'<a href="{reverse("styleguide")}">Styleguide</a>' in page
