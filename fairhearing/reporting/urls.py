from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.report_list_view, name="list"),
    path("<str:period>/", views.report_view, name="report"),
    path("<str:period>.<str:fmt>", views.report_view, name="report_format"),
]
