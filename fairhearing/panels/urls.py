from django.urls import path

from . import views

app_name = "panels"
urlpatterns = [
    path("", views.seat_list_view, name="seats"),
    path("training/", views.training_view, name="training"),
    path("seats/<int:pk>/affirm/", views.seat_affirm_view, name="affirm"),
    path("seats/<int:pk>/vote/", views.seat_vote_view, name="vote"),
    path("cases/<str:reference>/draw/<str:kind>/", views.panel_draw_view, name="draw"),
    path(
        "cases/<str:reference>/interim-suspension/",
        views.interim_suspension_view,
        name="interim_suspension",
    ),
    path(
        "cases/<str:reference>/interim-suspension/review/",
        views.interim_suspension_decide_view,
        {"action": "review"},
        name="interim_suspension_review",
    ),
    path(
        "cases/<str:reference>/interim-suspension/lift/",
        views.interim_suspension_decide_view,
        {"action": "lift"},
        name="interim_suspension_lift",
    ),
]
