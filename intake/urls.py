from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.new, name="new"),
    path("thanks/", views.thanks, name="thanks"),
    path("inbox/", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="request"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/convert/", views.convert, name="convert"),
]
