from django.urls import path

from . import views

app_name = "worker"
urlpatterns = [
    path("readyz", views.readyz, name="readyz"),
    path("background-work/", views.status_view, name="status"),
    path("background-work/<uuid:task_id>/retry", views.retry_view, name="retry"),
]
