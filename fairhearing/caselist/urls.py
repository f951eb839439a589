from django.urls import path

from . import views

app_name = "caselist"
urlpatterns = [
    path("", views.saved_views_view, name="saved_views"),
    path("<int:pk>/delete/", views.saved_view_delete_view, name="saved_view_delete"),
]
