from django.urls import path

from . import views

app_name = "audits"
urlpatterns = [
    path("", views.rounds_view, name="rounds"),
    path("published/", views.published_view, name="published"),
    path("<int:pk>/", views.round_view, name="round"),
    path("cases/<int:pk>/", views.audited_case_view, name="case"),
    path("cases/<int:pk>/recommendation/", views.raise_view, name="raise"),
]
