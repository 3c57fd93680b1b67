from members.filters import OrganisationFilter
from members.models import Organisation


def test_country_filter_offers_the_networks_countries_by_name(coop, other_coop):
    form = OrganisationFilter({}, queryset=Organisation.objects.all()).form
    assert list(form.fields["country"].choices) == [("AR", "Argentina"), ("BG", "Bulgaria")]


def test_a_country_without_organisations_is_refused_with_a_form_error(coop):
    filterset = OrganisationFilter({"country": ["FR"]}, queryset=Organisation.objects.all())
    assert not filterset.is_valid()
    assert "country" in filterset.errors
