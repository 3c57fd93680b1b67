from django.urls import path  # noqa: F401 - patterns come with the pages

app_name = "policies"

urlpatterns: list = []
