from rest_framework import serializers

from sync.models import Tombstone


class TombstoneOut(serializers.ModelSerializer[Tombstone]):
    class Meta:
        model = Tombstone
        fields = ["resource", "object_id", "deleted_at"]
        extra_kwargs = {
            "resource": {
                "help_text": "The list it was in, as its path under /api/v1/ (fund/claims)."
            },
            "object_id": {
                "help_text": "Its id, or its slug where the API addresses it by slug "
                "(organisations, skills, circles, policies), always as a string."
            },
            "deleted_at": {
                "help_text": "When it went. Drop your copy if you last saw it change before this."
            },
        }
