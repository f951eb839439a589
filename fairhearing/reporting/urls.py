from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("statistics/", views.report_list_view, name="list"),
    path("statistics/<str:period>/", views.report_view, name="report"),
    path("statistics/<str:period>.<str:fmt>", views.report_view, name="report_format"),
    path("packs/", views.pack_list_view, name="packs"),
    path("workload/", views.workload_view, name="workload"),
    path("packs/<int:pk>/", views.pack_view, name="pack"),
    path("recommendations/", views.tracker_view, name="tracker"),
    path("recommendations/import/", views.tracker_import_view, name="tracker_import"),
    path("recommendations/<int:pk>/update/", views.tracker_update_view, name="tracker_update"),
]
