from django.urls import path

from . import views

app_name = "dataprotection"
urlpatterns = [
    path("cases/<str:reference>/legal-hold/", views.hold_view, name="hold"),
    path(
        "cases/<str:reference>/legal-hold/review/",
        views.hold_change_view,
        {"action": "review"},
        name="hold_review",
    ),
    path(
        "cases/<str:reference>/legal-hold/lift/",
        views.hold_change_view,
        {"action": "lift"},
        name="hold_lift",
    ),
    path("subject-access/", views.sar_list_view, name="sar_list"),
    path("subject-access/<int:pk>/", views.sar_detail_view, name="sar_detail"),
    path("subject-access/<int:pk>/export.<str:fmt>", views.sar_export_view, name="sar_export"),
    path("subject-access/<int:pk>/complete/", views.sar_complete_view, name="sar_complete"),
]
