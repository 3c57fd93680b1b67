import django_filters

from patio.filters import FilterSet
from sync.models import Tombstone
from sync.resources import RESOURCE_NAMES


class TombstoneFilter(FilterSet):
    resource = django_filters.ChoiceFilter(
        choices=[(name, name) for name in RESOURCE_NAMES],
        help_text="Only deletions from this list.",
    )

    class Meta:
        model = Tombstone
        fields = ["resource"]
