"""Admin: a read-only view of case studies. They are written on their pages or through the API,
where every change is audited."""

from django.contrib import admin

from casestudies.models import CaseStudy
from patio.admin import ReadOnlyAdmin


@admin.register(CaseStudy)
class CaseStudyAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "status", "consent_recorded_at", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug", "client_name"]
