from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("<int:pk>/pause/", views.deadline_clock_view, {"action": "pause"}, name="pause"),
    path("<int:pk>/resume/", views.deadline_clock_view, {"action": "resume"}, name="resume"),
]
