from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.start_view, name="start"),
    path("complaint/", views.complaint_form_view, name="form"),
    path("complaint/check/", views.complaint_check_view, name="check"),
    path("complaint/submitted/", views.submitted_view, name="submitted"),
    path("complaint/anonymous/", views.anonymous_form_view, name="anonymous"),
    path("complaint/anonymous/check/", views.anonymous_check_view, name="anonymous_check"),
    path("complaint/anonymous/receipt/", views.anonymous_receipt_view, name="anonymous_receipt"),
    path("report/", views.report_view, name="report"),
    path("report/status/", views.report_status_view, name="report_status"),
    path("report/status/message/", views.report_message_view, name="report_message"),
    path("report/status/evidence/", views.report_evidence_view, name="report_evidence"),
    path("report/forget/", views.report_forget_view, name="report_forget"),
    path("cases/record/", views.complaint_record_view, name="record"),
]
