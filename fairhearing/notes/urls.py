from django.urls import path

from . import views

app_name = "notes"
urlpatterns = [
    path("cases/<str:reference>/notes/", views.note_list_view, name="list"),
    path("cases/<str:reference>/notes/add/", views.note_add_view, name="add"),
    path("cases/<str:reference>/notes/<int:pk>/share/", views.note_disclose_view, name="disclose"),
    path("cases/<str:reference>/checklist/", views.checklist_view, name="checklist"),
]
