"""Settings of the test provider (never of Fairhearing): from OIDC_PROVIDER_DIR and
OIDC_PROVIDER_ISSUER, set by `provider.start_provider`."""

import os
from pathlib import Path

DIR = Path(os.environ["OIDC_PROVIDER_DIR"])
SECRET_KEY = "test-provider-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "fairhearing.accounts.tests.oidc_provider.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DIR / "provider.sqlite3")}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (DIR / "key.pem").read_text(),
    "OIDC_ISS_ENDPOINT": os.environ["OIDC_PROVIDER_ISSUER"],
    "OAUTH2_VALIDATOR_CLASS": "fairhearing.accounts.tests.oidc_provider.validator.Validator",
    "SCOPES": {"openid": "OpenID Connect", "email": "Email address", "profile": "Profile"},
    "PKCE_REQUIRED": True,
}
