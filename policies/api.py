"""The policies endpoints of API v1 (mounted under /api/v1/ by patio/urls.py)."""

urlpatterns: list = []
