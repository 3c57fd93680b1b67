"""Writing the catalogue: what an entry derives from its licence, who may list a co-op, and that
every write is audited and leaves nothing half-done."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from catalogue import services
from catalogue.models import Provider, Software, SoftwareUse
from members.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored", "open_source", "family"),
    [
        ("AGPL-3.0-or-later", "AGPL-3.0-or-later", True, "copyleft"),
        ("GPL-2.0+", "GPL-2.0-or-later", True, "copyleft"),
        ("mit OR Apache-2.0", "MIT OR Apache-2.0", True, "permissive"),
        ("MPL-2.0 AND MIT", "MPL-2.0 AND MIT", True, "weak_copyleft"),
        ("BUSL-1.1", "BUSL-1.1", False, "source_available"),
        ("LicenseRef-Proprietary", "LicenseRef-Proprietary", False, "proprietary"),
    ],
)
def test_the_open_source_flag_and_family_come_from_the_licence(
    make_software, typed, stored, open_source, family
):
    software = make_software(licence=typed)
    software.refresh_from_db()
    assert (software.licence, software.is_open_source, software.licence_family) == (
        stored,
        open_source,
        family,
    )


def test_changing_the_licence_changes_what_it_derives(make_software, network_admin):
    software = make_software(licence="MIT")
    services.software_update(actor=network_admin, software=software, data={"licence": "BUSL-1.1"})
    software.refresh_from_db()
    assert not software.is_open_source
    assert software.licence_family == "source_available"


@pytest.mark.parametrize("typed", ["Foo-1.0", "MIT AND (", "", "MIT OR"])
def test_a_licence_that_is_not_spdx_is_refused_on_the_licence_field(make_software, typed):
    with pytest.raises(ValidationError) as refused:
        make_software(licence=typed)
    assert "licence" in refused.value.message_dict
    assert not Software.objects.exists()


def test_a_member_adds_a_draft_and_is_its_adder(member, membership_function):
    software = services.software_create(
        actor=member.user,
        data={"name": "Tiny CRM", "summary": "Keeps members.", "licence": "MIT"},
        m2m={"categories": [membership_function]},
    )
    assert software.status == Software.Status.DRAFT
    assert software.created_by == member
    assert AuditEvent.objects.filter(action="software.create", object_id=str(software.pk)).exists()


def test_a_visitor_adds_nothing(membership_function):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.software_create(
            actor=AnonymousUser(), data={"name": "X", "summary": "X", "licence": "MIT"}
        )


def test_publishing_needs_a_function_and_a_feature(member, membership_function):
    """What publiccode.yml requires of every export, a published entry has."""
    data = {"name": "No function", "summary": "s", "licence": "MIT", "status": "published"}
    with pytest.raises(ValidationError) as refused:
        services.software_create(actor=member.user, data=data)
    assert {"categories", "features"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as refused:
        services.software_create(
            actor=member.user, data=data, m2m={"categories": [membership_function]}
        )
    assert set(refused.value.message_dict) == {"features"}
    assert not Software.objects.exists()
    services.software_create(
        actor=member.user,
        data={**data, "features": ["Member register"]},
        m2m={"categories": [membership_function]},
    )
    assert Software.objects.get().is_published


def test_an_entry_gets_a_slug_of_its_own(make_software):
    first, second = make_software("Loomio"), make_software("Loomio")
    assert (first.slug, second.slug) == ("loomio", "loomio-2")


def test_only_member_coops_make_software(make_software):
    applicant = OrganisationFactory(status=Organisation.Status.APPLICANT)
    with pytest.raises(ValidationError) as refused:
        make_software(m2m={"makers": [applicant]})
    assert "makers" in refused.value.message_dict


def test_an_entry_is_not_similar_to_itself(make_software, network_admin):
    loomio, decidim = make_software("Loomio"), make_software("Decidim")
    services.software_update(
        actor=network_admin, software=loomio, data={}, m2m={"similar": [loomio, decidim]}
    )
    assert list(loomio.similar.all()) == [decidim]
    assert list(decidim.similar.all()) == [loomio]  # both ways


def test_a_coop_admin_lists_their_coop_as_provider_and_the_entry_changes(
    make_software, coop_admin, coop
):
    software = make_software()
    before = Software.objects.get(pk=software.pk).updated_at
    provider = services.provider_save(
        actor=coop_admin.user,
        software=software,
        organisation=coop,
        data={
            "services": ["support", "host"],
            "countries": ["FR", "BG"],
            "rate_min": Decimal("40"),
            "rate_max": Decimal("70"),
            "currency": "EUR",
        },
    )
    provider.refresh_from_db()
    assert provider.services == ["host", "support"]  # in the list's order
    assert [c.code for c in provider.countries] == ["BG", "FR"]
    assert Software.objects.get(pk=software.pk).updated_at > before
    assert AuditEvent.objects.filter(action="software.provider_add").count() == 1
    # Saving the same again changes and audits nothing.
    services.provider_save(
        actor=coop_admin.user,
        software=software,
        organisation=coop,
        data={"services": ["host", "support"], "countries": ["BG", "FR"]},
    )
    assert AuditEvent.objects.filter(action__startswith="software.provider").count() == 1


def test_a_member_who_is_no_admin_cannot_list_their_coop(make_software, member, coop):
    with pytest.raises(PermissionDenied):
        services.provider_save(
            actor=member.user,
            software=make_software(),
            organisation=coop,
            data={"services": ["host"]},
        )
    assert not Provider.objects.exists()


def test_a_coop_admin_cannot_list_another_coop(make_software, coop_admin, other_coop):
    with pytest.raises(PermissionDenied):
        services.use_save(
            actor=coop_admin.user,
            software=make_software(),
            organisation=other_coop,
            data={"use_case": "Our members", "rating": 4},
        )
    assert not SoftwareUse.objects.exists()


def test_a_rate_range_upside_down_is_refused(make_software, coop_admin, coop):
    with pytest.raises(ValidationError) as refused:
        services.provider_save(
            actor=coop_admin.user,
            software=make_software(),
            organisation=coop,
            data={"services": ["host"], "rate_min": Decimal("90"), "rate_max": Decimal("10")},
        )
    assert "rate_max" in refused.value.message_dict
    assert not Provider.objects.exists()


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_is_one_to_five(make_software, coop_admin, coop, rating):
    with pytest.raises(ValidationError):
        services.use_save(
            actor=coop_admin.user,
            software=make_software(),
            organisation=coop,
            data={"use_case": "Our members", "rating": rating},
        )
    assert not SoftwareUse.objects.exists()


def test_a_use_is_changed_and_removed_by_the_coops_admin(make_software, coop_admin, coop):
    software = make_software()
    use = services.use_save(
        actor=coop_admin.user,
        software=software,
        organisation=coop,
        data={"use_case": "Our 300 members", "rating": 4},
    )
    services.use_save(
        actor=coop_admin.user, software=software, organisation=coop, data={"rating": 5}
    )
    use.refresh_from_db()
    assert (use.use_case, use.rating) == ("Our 300 members", 5)
    services.use_remove(actor=coop_admin.user, use=use)
    assert not SoftwareUse.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="software.use")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["software.use_add", "software.use_update", "software.use_remove"]
