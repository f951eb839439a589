from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import SignInForm

app_name = "accounts"
urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/sign_in.html", authentication_form=SignInForm
        ),
        name="login",
    ),
    path("sign-in/code/", views.two_factor_view, name="two_factor"),
    path("sign-in/set-up/", views.two_factor_enrol_view, name="two_factor_enrol"),
    path("sign-in/recovery-codes/", views.recovery_codes_view, name="recovery_codes"),
    path("confirm/", views.reauth_view, name="reauth"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("home/", views.home_view, name="home"),
]
