from django.urls import path

from polls import views

app_name = "polls"

urlpatterns = [
    path("", views.poll_list, name="list"),
    path("new/", views.poll_new, name="new"),
    path("<int:pk>/", views.poll_detail, name="detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/delegation/", views.delegate, name="delegate"),
    path("<int:pk>/delegation/revoke/", views.delegation_revoke, name="delegation_revoke"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("<int:pk>/assembly/", views.schedule_assembly, name="assembly"),
]
