from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.start_view, name="start"),
    path("complaint/", views.complaint_form_view, name="form"),
    path("complaint/submitted/", views.submitted_view, name="submitted"),
    path("cases/record/", views.complaint_record_view, name="record"),
]
