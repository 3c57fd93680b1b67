from django.urls import path

from murmurations import views

app_name = "murmurations"

urlpatterns = [
    path("<slug:kind>/<int:pk>.json", views.profile, name="profile"),
]
