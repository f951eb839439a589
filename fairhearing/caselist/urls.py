from django.urls import path

from . import views

app_name = "caselist"
urlpatterns = [
    path("saved-views/", views.saved_views_view, name="saved_views"),
    path("saved-views/<int:pk>/delete/", views.saved_view_delete_view, name="saved_view_delete"),
    path("bulk/assign/", views.bulk_assign_view, name="bulk_assign"),
    path("bulk/assign/done/", views.bulk_assign_done_view, name="bulk_assign_done"),
]
