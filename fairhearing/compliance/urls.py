from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("", views.follow_up_view, name="follow_up"),
    path("cases/<str:reference>/add/", views.condition_add_view, name="add"),
    path("conditions/<int:pk>/", views.condition_record_view, name="record"),
    path("conditions/<int:pk>/proof/", views.condition_proof_view, name="proof"),
]
