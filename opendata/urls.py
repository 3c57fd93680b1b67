from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("latest/<slug:kind>/", views.latest, name="latest"),
    path("<int:version>/<str:name>", views.download, name="download"),
]
