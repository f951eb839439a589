from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("", views.delivery_log_view, name="log"),
    path("<int:pk>/replay/", views.delivery_replay_view, name="replay"),
]
