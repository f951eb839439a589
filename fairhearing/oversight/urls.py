from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("register/", views.register_view, name="register"),
    path("cases/<str:reference>/approaches/", views.approach_record_view, name="approach"),
    path("cases/<str:reference>/verification/", views.verification_view, name="verification"),
]
