"""A real OpenID Connect provider for the single sign-on tests (test-only code): a small
Django project of its own, django-oauth-toolkit with OIDC on, its own SQLite database and an
RSA key made by the test, served over HTTP on 127.0.0.1 by `serve.py` in a subprocess.

Who can sign in, with which claims, is read from `people.json` in its directory on every
request, so that each test says what the provider asserts (`amr`, `acr`, `email_verified`)
and, through `id_token`, what it gets wrong (`aud` for another client, an expired `exp`).
Start it with `provider.start_provider`.
"""
