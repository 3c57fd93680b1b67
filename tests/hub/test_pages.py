"""The hub's pages: a guide read in the reader's language and every other it exists in, the
review panel, search and filters, learning paths with progress, the network's practice, the home
page's suggested path, JSON-LD, the sitemap, and constant queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from hub import services
from hub.models import Guide
from tests import linked_data
from tests.hub.conftest import write_guide
from tests.policies.factories import PolicyFactory, PolicyVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(published, reviewer):
    for language, title, text in [
        ("es", "Decisiones por consentimiento", "Una propuesta pasa cuando nadie objeta."),
        ("fr", "Décider par consentement", "Une proposition passe quand personne n'objecte."),
    ]:
        services.translation_add(
            actor=reviewer.user, guide=published, language=language, title=title, text=text
        )
    return published


def test_a_visitor_reads_a_guide_in_every_language_it_exists_in(client, translated):
    page = client.get(translated.get_absolute_url()).content.decode()
    assert '<h1 lang="en">Consent decisions, step by step' in page
    for code, name in [("en", "English"), ("es", "Español"), ("fr", "Français")]:
        assert re.search(
            rf'<a href="[^"]+\?language={code}" lang="{code}" hreflang="{code}"[^>]*>'
            rf"(<strong>)?{name}",
            page,
        ), code
    spanish = client.get(f"{translated.get_absolute_url()}?language=es").content.decode()
    assert '<h1 lang="es">Decisiones por consentimiento' in spanish
    assert '<div class="guide-text" lang="es"><p>Una propuesta pasa' in spanish
    assert "This is a translation into Spanish" in spanish


def test_a_reader_is_shown_the_guide_in_their_own_language(client, translated):
    with translation.override("fr"):
        page = client.get(translated.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<h1 lang="fr">Décider par consentement' in page.content.decode()
    hub = client.get(reverse("hub:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr">Décider par consentement</a>' in hub


def test_markdown_is_sanitised_on_the_guide_page(login, member, reviewing_circle):
    guide = write_guide(
        member, reviewing_circle, body="## Heading\n\n<script>alert(1)</script><img onerror=x>"
    )
    page = login(member.user).get(guide.get_absolute_url()).content.decode()
    assert "<h2>Heading</h2>" in page
    assert "<script>alert" not in page and "onerror" not in page


def test_the_author_sees_the_reviewers_comment_on_their_draft(login, member, reviewer, in_review):
    services.guide_send_back(actor=reviewer.user, guide=in_review, comment="Name the law.")
    page = login(member.user).get(in_review.get_absolute_url()).content.decode()
    assert "Rosa Reviewer sent it back:" in page and "Name the law." in page
    assert "Send for review" in page


def test_the_reviewer_finds_the_guide_on_their_home_and_the_hub(login, reviewer, in_review):
    client = login(reviewer.user)
    home = client.get("/").content.decode()
    assert "Guides waiting for your review" in home and "GDPR basics for a co-op" in home
    hub = client.get(reverse("hub:index")).content.decode()
    assert "Waiting for your review" in hub
    detail = client.get(in_review.get_absolute_url()).content.decode()
    assert ">Publish</button>" in detail and "Send back to the authors" in detail


def test_search_and_filters_narrow_the_hub(client, member, reviewer, reviewing_circle, published):
    pricing = write_guide(
        member,
        reviewing_circle,
        title="Pricing inter-co-op work fairly",
        category=Guide.Category.PRICING_WORK,
        tags=["rates"],
    )
    services.guide_submit(actor=member.user, guide=pricing)
    services.guide_publish(actor=reviewer.user, guide=pricing)

    def titles(query: str) -> list[str]:
        page = client.get(f"{reverse('hub:index')}?{query}").content.decode()
        return re.findall(r'<h3><a href="/hub/guides/[^"]+" lang="en">([^<]+)</a>', page)

    assert titles("q=pricing") == ["Pricing inter-co-op work fairly"]
    assert titles("category=pricing_work") == ["Pricing inter-co-op work fairly"]
    assert titles("tag=rates") == ["Pricing inter-co-op work fairly"]
    assert sorted(titles("")) == [
        "Consent decisions, step by step",
        "Pricing inter-co-op work fairly",
    ]
    assert titles("language=es") == []
    bad = client.get(f"{reverse('hub:index')}?category=astrology")
    assert bad.status_code == 200 and "Some filters are not valid" in bad.content.decode()


def test_the_hub_links_the_networks_public_practice_only(client):
    public = PolicyFactory(title="Decision making by consent", visibility="public")
    PolicyVersionFactory(policy=public)
    hidden = PolicyFactory(title="Conflict resolution in steps", visibility="members")
    PolicyVersionFactory(policy=hidden)
    page = client.get(reverse("hub:index")).content.decode()
    assert "How we decide" in page and public.get_absolute_url() in page
    assert "Conflict resolution in steps" not in page


def test_a_new_member_is_suggested_a_path_with_their_progress(
    login, network_admin, outsider, published
):
    path = services.path_create(
        actor=network_admin, title="Start here", guides=[published], suggested_to_newcomers=True
    )
    client = login(outsider.user)
    home = client.get("/").content.decode()
    assert "New here? A path to start with" in home and path.get_absolute_url() in home
    assert "0 of 1 done" in home
    client.post(reverse("hub:guide_done", args=[published.slug]), {"done": "1"})
    assert "1 of 1 done" in client.get(path.get_absolute_url()).content.decode()
    assert "New here?" not in client.get("/").content.decode()  # the path is done


def test_a_published_guide_is_a_schema_org_article_linked_to_its_translations(client, translated):
    document = linked_data.page_document(client.get(translated.get_absolute_url()))
    top = linked_data.expand_checked(
        document, "Article", ("headline", "inLanguage", "author", "workTranslation")
    )
    assert linked_data.values(top, "inLanguage") == ["en"]
    assert len(linked_data.values(top, "workTranslation")) == 2
    spanish = linked_data.negotiated(client, f"{translated.get_absolute_url()}?language=es")
    top = linked_data.expand_checked(spanish.json(), "Article", ("translationOfWork",))
    assert linked_data.values(top, "inLanguage") == ["es"]


def test_a_draft_has_no_json_ld_and_the_sitemap_lists_published_guides(
    login, client, member, draft, published
):
    assert linked_data.negotiated(login(member.user), draft.get_absolute_url()).status_code == 406
    sitemap = client.get("/sitemap-guides.xml").content.decode()
    assert published.get_absolute_url() in sitemap and draft.slug not in sitemap


def _guides(member, reviewer, circle, n):
    for i in range(n):
        guide = write_guide(member, circle, title=f"Guide {i}", tags=[f"tag {i}", "shared"])
        services.translation_add(
            actor=member.user, guide=guide, language="es", title=f"Guía {i}", text="Texto"
        )
        services.guide_submit(actor=member.user, guide=guide)
        services.guide_publish(actor=reviewer.user, guide=guide)


@pytest.mark.parametrize("size", [2, 12])
def test_hub_pages_and_api_run_a_constant_number_of_queries(
    login, member, reviewer, network_admin, reviewing_circle, size, django_assert_max_num_queries
):
    _guides(member, reviewer, reviewing_circle, size)
    guides = list(Guide.objects.order_by("id"))
    path = services.path_create(actor=network_admin, title="All", guides=guides[:8])
    client = login(member.user)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("hub:index")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(guides[-1].get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(path.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/guides/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/learning-paths/").status_code == 200


def test_a_translated_guide_page_and_the_editor_are_valid_html(
    client, login, member, translated, vnu_jar, tmp_path
):
    import json
    import subprocess

    pages = {
        "guide": client.get(translated.get_absolute_url()),
        "guide in Spanish": client.get(f"{translated.get_absolute_url()}?language=es"),
        "editor": login(member.user).get(reverse("hub:guide_new")),
    }
    files = {}
    for name, response in pages.items():
        assert response.status_code == 200, name
        path = tmp_path / f"{len(files)}.html"
        path.write_bytes(response.content)
        files[str(path)] = name
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{files[m['url'].removeprefix('file:')]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
    ]
    assert not errors, "\n".join(errors)
