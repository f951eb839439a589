from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("thanks/", views.thanks_view, name="thanks"),
    path("comments/", views.comments_view, name="comments"),
    path("<str:token>/", views.answer_view, name="answer"),
]
