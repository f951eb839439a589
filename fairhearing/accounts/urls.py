from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    # Single sign-on (docs/sso.md): 404 while it is off. The callback is the redirect URI
    # registered with the provider.
    path("sign-in/sso/", views.SsoStartView.as_view(), name="sso_start"),
    path("sign-in/sso/callback/", views.SsoCallbackView.as_view(), name="sso_callback"),
    path("sign-in/code/", views.two_factor_view, name="two_factor"),
    path("sign-in/set-up/", views.two_factor_enrol_view, name="two_factor_enrol"),
    path("sign-in/recovery-codes/", views.recovery_codes_view, name="recovery_codes"),
    path("confirm/", views.reauth_view, name="reauth"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("home/", views.home_view, name="home"),
]
