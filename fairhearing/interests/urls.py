from django.urls import path

from . import views

app_name = "interests"
urlpatterns = [
    path("", views.declaration_list_view, name="list"),
    path("<int:pk>/withdraw/", views.declaration_withdraw_view, name="withdraw"),
    path("cases/<str:reference>/recuse/", views.recuse_view, name="recuse"),
    path("cases/<str:reference>/challenges/", views.challenge_raise_view, name="challenge"),
    path(
        "cases/<str:reference>/challenges/<int:pk>/decide/",
        views.challenge_decide_view,
        name="challenge_decide",
    ),
]
