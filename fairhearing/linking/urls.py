from django.urls import path

from . import views

app_name = "linking"
urlpatterns = [
    path("cases/<str:reference>/related/", views.related_view, name="related"),
    path("cases/<str:reference>/related/<str:other>/", views.link_view, name="link"),
    path("cases/<str:reference>/links/<int:link_id>/undo/", views.undo_view, name="undo"),
]
