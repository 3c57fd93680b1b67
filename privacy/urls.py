from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("download/", views.export_request, name="export_request"),
    path("download/<int:pk>/", views.export_status, name="export_status"),
    path("download/<int:pk>/file/", views.export_download, name="export_download"),
    path("erase/", views.erase_self, name="erase_self"),
    path("erase/<int:pk>/", views.erase_person, name="erase_person"),
]
