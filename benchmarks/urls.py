import random

from django.http import HttpResponse
from django.urls import path

from members.models import Organisation
from patio.urls import urlpatterns as site_urlpatterns

_MAX_ID = None


def baseline(request):
    """A bare Django view doing one indexed query: the floor every page is compared to."""
    global _MAX_ID
    if _MAX_ID is None:
        _MAX_ID = Organisation.objects.order_by("-id").values_list("id", flat=True).first() or 1
    row = (
        Organisation.objects.filter(pk=random.randint(1, _MAX_ID))
        .values_list("name", flat=True)
        .first()
    )
    return HttpResponse(row or "", content_type="text/plain")


urlpatterns = [path("bench/baseline", baseline), *site_urlpatterns]
