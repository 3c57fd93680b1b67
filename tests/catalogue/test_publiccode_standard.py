"""publiccode.yml as the standard has it: features in every description, contacts for internal
and community maintenance, contractors for contract and only then; the export derives the
maintenance from the catalogue and publishes no contact detail the directory keeps private.
Also "managed by a network co-op", derived from who provides hosting."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import yaml

from catalogue import publiccode, services
from catalogue.models import Software
from members.models import Person
from tests.api_helpers import assert_problem
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

FULL = {
    "publiccodeYmlVersion": "0.4",
    "name": "Open Members",
    "url": "https://git.example.coop/open-members.git",
    "platforms": ["web"],
    "developmentStatus": "stable",
    "softwareType": "standalone/web",
    "description": {
        "en": {
            "shortDescription": "Members.",
            "longDescription": "Members and shares.",
            "features": ["Member register"],
        }
    },
    "legal": {"license": "MIT"},
    "maintenance": {"type": "community", "contacts": [{"name": "Ada"}]},
    "localisation": {"localisationReady": False, "availableLanguages": ["en"]},
}


def _with(**changes) -> dict:
    document = yaml.safe_load(yaml.safe_dump(FULL))
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node = document
        for part in path:
            node = node[part]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return document


def test_a_complete_file_has_no_problem():
    assert publiccode.problems(_with()) == []


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"description__en__features": None}, "description.en.features"),
        ({"description__en__features": []}, "description.en.features"),
        (
            {"description__it": {"shortDescription": "Soci.", "longDescription": "Soci."}},
            "description.it.features",
        ),
        ({"maintenance__contacts": None}, "maintenance.contacts"),
        ({"maintenance__type": "internal", "maintenance__contacts": None}, "maintenance.contacts"),
        ({"maintenance__contacts": [{"email": "a@example.coop"}]}, "maintenance.contacts[0].name"),
        (
            {"maintenance__type": "contract", "maintenance__contacts": None},
            "maintenance.contractors",
        ),
        (
            {"maintenance__type": "contract", "maintenance__contractors": [{"name": "Camplight"}]},
            "maintenance.contractors[0].until",
        ),
        (
            {"maintenance__contractors": [{"name": "Camplight", "until": "2027-01-01"}]},
            "maintenance.contractors",
        ),
    ],
)
def test_each_thing_the_standard_requires_is_reported_by_its_dotted_key(changes, key):
    found = publiccode.problems(_with(**changes))
    assert any(key in problem for problem in found), found


def test_contractors_are_refused_for_any_type_but_contract():
    for kind in ("internal", "community", "none"):
        document = _with(
            maintenance__type=kind,
            maintenance__contractors=[{"name": "Camplight", "until": "2027-01-01"}],
        )
        assert any(
            "only when maintenance.type is contract" in p for p in publiccode.problems(document)
        )


def test_an_import_lacking_features_is_refused_naming_the_key(api_client, member):
    api_client.force_login(member.user)
    text = yaml.safe_dump(_with(description__en__features=None))
    response = api_client.post("/api/v1/software/import/", {"publiccode": text}, format="json")
    body = assert_problem(response, 400)
    assert any("description.en.features" in p for p in body["errors"]["publiccode"])
    assert not Software.objects.exists()


def _export(software: Software, today: datetime.date | None = None) -> dict:
    from catalogue.selectors import software_detail

    public = software_detail(None).get(pk=software.pk)
    document = publiccode.export(public)
    if today is not None:
        document["maintenance"] = publiccode.maintenance(public, today=today)
    assert publiccode.problems(document) == [], document
    return document


def test_an_entry_nobody_maintains_exports_none(make_software):
    assert _export(make_software())["maintenance"] == {"type": "none"}


def test_a_maker_contact_makes_it_internal_with_only_public_contact_details(
    make_software, coop, network_admin
):
    person = PersonFactory(
        organisation=coop,
        display_name="Ines Internal",
        contact_email="ines@example.coop",
        contact_email_visibility=Person.ProfileVisibility.MEMBERS,
        phone="+33 1 23 45 67 89",
        phone_visibility="public",
        profile_visibility=Person.ProfileVisibility.PUBLIC,
    )
    entry = make_software(m2m={"makers": [coop]})
    services.contact_add(actor=person.user, software=entry, person=person)
    maintenance = _export(entry)["maintenance"]
    assert maintenance == {
        "type": "internal",
        "contacts": [
            {"name": "Ines Internal", "phone": "+33 1 23 45 67 89", "affiliation": coop.name}
        ],
    }
    assert "ines@example.coop" not in publiccode.dumps(_export(entry))


def test_a_support_contract_makes_it_contract_until_the_contract_ends(
    make_software, coop, coop_admin
):
    entry = make_software()
    services.provider_save(
        actor=coop_admin.user,
        software=entry,
        organisation=coop,
        data={"services": ["support"], "support_until": datetime.date(2027, 6, 30)},
    )
    maintenance = _export(entry, today=datetime.date(2027, 1, 1))["maintenance"]
    assert maintenance["type"] == "contract"
    assert maintenance["contractors"][0]["name"] == coop.name
    assert maintenance["contractors"][0]["until"] == "2027-06-30"
    after = _export(entry, today=datetime.date(2027, 7, 1))["maintenance"]
    assert after == {"type": "none"}  # the contract ran out; no contractor is left


def test_a_contact_of_another_co_op_makes_it_community(make_software, other_coop):
    person = PersonFactory(organisation=other_coop, profile_visibility="public")
    entry = make_software()
    services.contact_add(actor=person.user, software=entry, person=person)
    maintenance = _export(entry)["maintenance"]
    assert maintenance["type"] == "community"
    assert "contractors" not in maintenance


def test_only_the_person_or_a_network_admin_names_someone_a_contact(
    make_software, coop, member, colleague
):
    from django.core.exceptions import PermissionDenied

    entry = make_software()
    with pytest.raises(PermissionDenied):
        services.contact_add(actor=colleague.user, software=entry, person=member)
    assert not entry.contacts.exists()


def test_a_contact_finds_it_in_their_download_and_erasure_takes_them_off_the_entry(
    make_software, other_coop
):
    """Being named is personal data: it is in the person's download, and it goes with them."""
    import io
    import json
    import zipfile

    from privacy import exports
    from privacy import services as privacy

    person = PersonFactory(organisation=other_coop, profile_visibility="public")
    entry = make_software()
    services.contact_add(actor=person.user, software=entry, person=person)
    export = privacy.data_export_request(actor=person.user)
    assert exports.data_export_build(export_id=export.pk) is True
    export.refresh_from_db()
    with exports.private_storage().open(export.file_name, "rb") as f:
        archive = zipfile.ZipFile(io.BytesIO(f.read()))
    [row] = json.loads(archive.read("maintenance_contacts.json"))
    assert (row["software__name"], row["software__slug"]) == (entry.name, entry.slug)

    before = Software.objects.get(pk=entry.pk).updated_at
    privacy.person_erase(actor=person.user, person=person)
    assert not entry.contacts.exists()
    assert _export(entry)["maintenance"] == {"type": "none"}
    assert Software.objects.get(pk=entry.pk).updated_at > before  # partners fetch it again


# "Managed by a network co-op", derived.


@pytest.fixture
def hosted(make_software, coop, coop_admin):
    """Hosted is hosted by a member co-op; Supported only supported; Alone has no provider."""
    hosted = make_software("Hosted")
    supported = make_software("Supported")
    make_software("Alone")
    for entry, offered in ((hosted, ["install", "host"]), (supported, ["support"])):
        services.provider_save(
            actor=coop_admin.user,
            software=entry,
            organisation=coop,
            data={"services": offered, "rate_min": Decimal(10)},
        )
    return hosted


def test_managed_is_derived_from_providers_on_the_list_the_api_and_the_filter(client, hosted):
    page = client.get("/catalogue/?hosting=managed")
    assert [s.name for s in page.context["page"]] == ["Hosted"]
    assert "Managed by a network co-op" in client.get("/catalogue/hosted/").content.decode()
    assert "Managed by a network co-op" not in client.get("/catalogue/supported/").content.decode()
    entries = client.get("/api/v1/software/").json()["results"]
    assert {e["name"]: e["managed"] for e in entries} == {
        "Alone": False,
        "Hosted": True,
        "Supported": False,
    }
    api = client.get("/api/v1/software/?hosting=managed").json()["results"]
    assert [e["name"] for e in api] == ["Hosted"]


def test_managed_ends_when_the_hosting_co_op_leaves_the_network(client, hosted, coop):
    coop.status = "left"
    coop.save(update_fields=["status"])
    assert [s.name for s in client.get("/catalogue/?hosting=managed").context["page"]] == []


def test_the_managed_filter_is_one_query_at_two_sizes(client, hosted, make_software, count_queries):
    with count_queries() as small:
        client.get("/api/v1/software/?hosting=managed")
    for n in range(5):
        entry = make_software(f"More {n}")
        other = OrganisationFactory(name=f"Host {n}")
        admin = PersonFactory(organisation=other, is_coop_admin=True)
        services.provider_save(
            actor=admin.user, software=entry, organisation=other, data={"services": ["host"]}
        )
    with count_queries() as large:
        assert len(client.get("/api/v1/software/?hosting=managed").json()["results"]) == 6
    assert large.count == small.count, large.report()


# The API's exports.


def test_the_api_serves_publiccode_yml_and_json_ld(client, make_software):
    make_software("Civi Members")
    response = client.get("/api/v1/software/civi-members/publiccode/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    document = publiccode.load(response.content)
    assert publiccode.problems(document) == []
    assert document["description"]["en"]["features"] == ["Member register", "Dues and reminders"]
    ld = client.get("/api/v1/software/civi-members/jsonld/")
    assert ld.status_code == 200
    assert ld["Content-Type"].startswith("application/ld+json")
    assert ld.json()["@type"] == "SoftwareApplication"
    page = client.get("/catalogue/civi-members/").content.decode()
    assert (
        '<link rel="alternate" type="application/ld+json" '
        'href="/api/v1/software/civi-members/jsonld/">' in page
    )


def test_a_draft_has_no_export_for_a_visitor_and_no_json_ld_for_anyone(
    client, make_software, member
):
    make_software("Secret", status=Software.Status.DRAFT)
    assert_problem(client.get("/api/v1/software/secret/publiccode/"), 404)
    assert_problem(client.get("/api/v1/software/unknown/publiccode/"), 404)
    client.force_login(member.user)
    assert client.get("/api/v1/software/secret/publiccode/").status_code == 200
    assert_problem(client.get("/api/v1/software/secret/jsonld/"), 404)


def test_the_export_costs_the_same_queries_at_two_sizes(client, make_software, coop, count_queries):
    entry = make_software(m2m={"makers": [coop]})
    with count_queries() as small:
        assert client.get("/api/v1/software/civi-members/publiccode/").status_code == 200
    for n in range(5):
        other = OrganisationFactory(name=f"Support {n}")
        admin = PersonFactory(organisation=other, is_coop_admin=True, profile_visibility="public")
        services.provider_save(
            actor=admin.user,
            software=entry,
            organisation=other,
            data={"services": ["support"], "support_until": datetime.date(2099, 1, 1)},
        )
        services.contact_add(actor=admin.user, software=entry, person=admin)
    with count_queries() as large:
        response = client.get("/api/v1/software/civi-members/publiccode/")
    assert len(publiccode.load(response.content)["maintenance"]["contacts"]) == 5
    assert large.count == small.count, large.report()


def test_features_are_edited_one_a_line_in_the_form(client, make_software, network_admin):
    entry = make_software()
    client.force_login(network_admin)
    form = client.get(f"/catalogue/{entry.slug}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "slug": entry.slug,
            "features": "Member register\r\n- Share capital\r\n\r\nDues",
            "categories": [c.pk for c in entry.categories.all()],
            "maturity": entry.maturity,
            "status": entry.status,
        }
    )
    for name in ("programming_languages", "ui_languages", "makers", "similar"):
        data.pop(name, None)
    response = client.post(f"/catalogue/{entry.slug}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    entry.refresh_from_db()
    assert entry.features == ["Member register", "Share capital", "Dues"]
    assert "Share capital" in client.get(entry.get_absolute_url()).content.decode()


def test_a_published_entry_emptied_of_features_says_so_on_the_field_and_keeps_them(
    client, make_software, network_admin
):
    entry = make_software()
    client.force_login(network_admin)
    form = client.get(f"/catalogue/{entry.slug}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "slug": entry.slug,
            "features": "",
            "categories": [c.pk for c in entry.categories.all()],
            "maturity": entry.maturity,
            "status": entry.status,
        }
    )
    for name in ("programming_languages", "ui_languages", "makers", "similar"):
        data.pop(name, None)
    response = client.post(f"/catalogue/{entry.slug}/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["features"] == [
        "List at least one feature to publish it."
    ]
    entry.refresh_from_db()
    assert entry.features == ["Member register", "Dues and reminders"]


def test_a_feature_too_long_is_a_problem_in_the_api(api_client, make_software, network_admin):
    make_software()
    api_client.force_login(network_admin)
    response = api_client.patch(
        "/api/v1/software/civi-members/", {"features": ["x" * 101]}, format="json"
    )
    body = assert_problem(response, 400)
    assert "features" in body["errors"]


def test_a_provider_lists_its_support_contract_through_the_api(
    api_client, make_software, coop, coop_admin
):
    make_software("Civi Members")
    api_client.force_login(coop_admin.user)
    assert api_client.get("/api/v1/software/civi-members/").json()["maintenance_type"] == "none"
    body = {
        "organisation": {"slug": coop.slug},
        "services": ["support"],
        "support_until": "2099-12-31",
    }
    response = api_client.post("/api/v1/software/civi-members/providers/", body, format="json")
    assert response.status_code == 200, response.json()
    entry = response.json()
    assert entry["maintenance_type"] == "contract"
    assert entry["providers"][0]["support_until"] == "2099-12-31"
    assert entry["managed"] is False  # support is not hosting
    exported = publiccode.load(api_client.get("/api/v1/software/civi-members/publiccode/").content)
    assert exported["maintenance"]["contractors"] == [
        {
            "name": coop.name,
            "until": "2099-12-31",
            **({"website": coop.website} if coop.website else {}),
        }
    ]
    bad = {**body, "support_until": "someday"}
    problem = assert_problem(
        api_client.post("/api/v1/software/civi-members/providers/", bad, format="json"), 400
    )
    assert "support_until" in problem["errors"]


def test_the_comparison_shows_features_and_derived_hosting(client, hosted):
    page = client.get("/catalogue/compare/?entries=hosted&entries=supported").content.decode()
    assert "Member register; Dues and reminders" in page
    assert "Managed by a network co-op" in page
