from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("<int:pk>/pause/", views.deadline_pause_view, name="pause"),
    path("<int:pk>/resume/", views.deadline_resume_view, name="resume"),
    path(
        "clock-stops/<int:pk>/approve/",
        views.clock_stop_decide_view,
        {"decision": "approve"},
        name="stop_approve",
    ),
    path(
        "clock-stops/<int:pk>/decline/",
        views.clock_stop_decide_view,
        {"decision": "decline"},
        name="stop_decline",
    ),
]
