from django.urls import include, path

urlpatterns = [
    path("", include("fairhearing.core.urls")),
    path("", include("fairhearing.intake.urls")),
    path("accounts/", include("fairhearing.accounts.urls")),
    path("cases/", include("fairhearing.cases.urls")),
]
