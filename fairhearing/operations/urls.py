from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("healthz/live", views.live, name="live"),
    path("healthz/ready", views.ready, name="ready"),
    path("metrics", views.metrics, name="metrics"),
]
