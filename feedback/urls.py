from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.feedback_list, name="list"),
    path("ask/", views.ask, name="ask"),
    path("<int:pk>/", views.request_detail, name="request"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/share/", views.share, name="share"),
]
