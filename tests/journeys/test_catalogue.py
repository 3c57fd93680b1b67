"""A co-op choosing technology, over the demo catalogue: a visitor looks for software for
"membership management", compares two entries, and asks one of its providers for help through
the request-help form, which arrives naming the software and the provider."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from catalogue.models import Software
from intake.emails import provider_contacts
from intake.models import HelpRequest
from members.models import Organisation
from tests.browser.conftest import label
from tests.worker_fixtures import wait_until

pytestmark = pytest.mark.browser


def test_the_demo_catalogue_has_real_entries_with_providers_and_users():
    published = Software.objects.filter(status=Software.Status.PUBLISHED)
    assert published.count() >= 25
    assert published.filter(providers__isnull=False).distinct().count() >= 15
    assert published.filter(uses__isnull=False).distinct().count() >= 15
    assert published.filter(makers__isnull=False).exists()


def test_a_visitor_finds_membership_software_and_asks_a_provider_for_help(
    page: Page, settings, demo_worker
):
    settings.HELP_REQUEST_MIN_SECONDS = 1
    page.goto("/catalogue/")
    search = page.get_by_role("search").get_by_label(label("Search"))
    search.fill("membership management")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=membership(\+|%20)management"))
    results = page.locator("#results .card h3 a")
    expect(results.first).to_be_visible()
    assert "CiviCRM" in results.all_inner_texts()

    # Every entry whose function is membership, then two of them side by side.
    search.fill("")
    page.get_by_role("search").get_by_label("Membership").check()
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.get_by_label("Compare Dolibarr")).to_be_visible()
    page.get_by_label("Compare CiviCRM").check()
    page.get_by_label("Compare Dolibarr").check()
    page.get_by_role("button", name="Compare the ticked entries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare software")
    expect(page.get_by_role("columnheader", name="CiviCRM")).to_be_visible()

    page.get_by_role("link", name="CiviCRM").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CiviCRM")
    providers = page.get_by_role("region", name="Providers")
    expect(providers.get_by_role("link", name="SCOP Libellule")).to_be_visible()

    help_section = page.get_by_role("region", name="Who can help me with this?")
    help_section.get_by_label("Hosting").check()
    help_section.get_by_label("Training").check()
    help_section.get_by_label("SCOP Libellule").check()
    help_section.get_by_role("button", name="Ask for help").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Request help from the network")
    # The entry is named, and the provider chosen on its page is ticked, to be told.
    asked = page.get_by_role("region", name="About CiviCRM")
    expect(asked.get_by_role("link", name="CiviCRM")).to_be_visible()
    expect(asked.get_by_label("SCOP Libellule")).to_be_checked()
    description = page.get_by_label(label("Describe your need"))
    expect(description).to_have_value(re.compile("CiviCRM"))
    description.press("End")
    description.type("We are a housing co-op of 300 members in Lyon.")
    page.get_by_label(label("Organisation")).fill("Habitat Coop Croix-Rousse")
    page.get_by_label(label("Your name")).fill("Claire Martin")
    page.get_by_label(label("Your email address")).fill("claire@croix-rousse.example")
    page.get_by_label(label("Country")).select_option(label="France")
    page.wait_for_timeout(1100)  # the minimum fill time
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your request is sent")
    # The confirmation says who was told.
    expect(page.get_by_role("heading", name="Who was told")).to_be_visible()
    expect(page.get_by_role("link", name="SCOP Libellule")).to_be_visible()

    request = HelpRequest.objects.get(organisation_name="Habitat Coop Croix-Rousse")
    libellule = Organisation.objects.get(name="SCOP Libellule")
    assert request.software == Software.objects.get(name="CiviCRM")
    assert list(request.providers.all()) == [libellule]
    # The provider was told: an email to each of its contacts (its co-op admins).
    contacts = {person.email_address for person in provider_contacts(libellule.pk)}
    assert contacts
    wait_until(lambda: {m.to[0] for m in mail.outbox if "CiviCRM" in m.subject} >= contacts)
    [told] = [m for m in mail.outbox if m.to[0] in contacts][:1]
    assert "Habitat Coop Croix-Rousse asks your co-op for help with CiviCRM" in told.subject
    assert "claire@croix-rousse.example" in told.body
    assert "CiviCRM" in request.description
    assert "SCOP Libellule" in request.description
    assert "Hosting, Training" in request.description
    assert "300 members" in request.description
    request.delete()  # the demo data is shared by the journeys


def test_every_demo_entry_exports_a_valid_publiccode_yml_with_someone_behind_it():
    from catalogue import publiccode
    from catalogue.selectors import software_detail

    entries = list(software_detail(None))
    assert len(entries) >= 25
    kinds = set()
    for entry in entries:
        assert entry.providers.all() or entry.uses.all(), entry.name  # from the demo co-ops
        document = publiccode.export(entry)
        assert publiccode.problems(document) == [], (entry.name, publiccode.problems(document))
        kinds.add(document["maintenance"]["type"])
        # Managed by a network co-op exactly when a member co-op offers hosting.
        hosts = any("host" in p.services for p in entry.providers.all())
        assert entry.is_managed == hosts, entry.name
    assert {"internal", "contract", "community"} <= kinds
    for name in ("Akaunting", "Rocket.Chat"):
        entry = next(e for e in entries if e.name == name)
        assert entry.providers.all() and entry.uses.all()


def test_a_visitor_finds_hosted_software_and_sees_who_maintains_it(page: Page):
    page.goto("/catalogue/")
    page.get_by_role("search").get_by_label("Managed by a network co-op").check()
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"hosting=managed"))
    names = page.locator("#results .card h3 a").all_inner_texts()
    assert "Nextcloud" in names and "CoopCycle" in names
    assert "Taiga" not in names and "Odoo" not in names  # nobody in the network hosts them

    page.get_by_role("link", name="Nextcloud", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nextcloud")
    expect(page.locator("main .badge", has_text="Managed by a network co-op")).to_be_visible()
    expect(page.get_by_role("region", name="Features")).to_contain_text("File sync and sharing")
    maintenance = page.get_by_role("region", name="Who maintains it")
    expect(maintenance).to_contain_text("Lindenwerk")
    response = page.request.get(
        page.locator("link[type='application/ld+json']").get_attribute("href")
    )
    assert response.ok and response.json()["name"] == "Nextcloud"


def test_a_member_names_themselves_a_contact_and_withdraws(page: Page, log_in_as):
    from catalogue import publiccode
    from catalogue.selectors import software_detail

    log_in_as(page, "member@patio.example")
    page.goto("/catalogue/taiga/")
    maintenance = page.get_by_role("region", name="Who maintains it")
    maintenance.get_by_role("button", name="Name me as a contact").click()
    maintenance = page.get_by_role("region", name="Who maintains it")
    expect(maintenance.get_by_role("button", name="Stop being a contact")).to_be_visible()
    assert Software.objects.get(slug="taiga").contacts.count() == 2
    taiga = software_detail(None).get(slug="taiga")
    assert publiccode.problems(publiccode.export(taiga)) == []
    maintenance.get_by_role("button", name="Stop being a contact").click()
    expect(
        page.get_by_role("region", name="Who maintains it").get_by_role(
            "button", name="Name me as a contact"
        )
    ).to_be_visible()
