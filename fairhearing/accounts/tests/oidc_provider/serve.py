"""Run the test provider: `python -m fairhearing.accounts.tests.oidc_provider.serve PORT`.

Migrates its database, registers the clients in `clients.json`, then serves HTTP on
127.0.0.1:PORT until it is terminated."""

import json
import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(port: int) -> None:
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", "fairhearing.accounts.tests.oidc_provider.settings"
    )
    django.setup()
    # Django's own modules and the provider's models load only once Django is set up.
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for client in json.loads((Path(os.environ["OIDC_PROVIDER_DIR"]) / "clients.json").read_text()):
        Application.objects.update_or_create(
            client_id=client["client_id"],
            defaults={
                "name": client["client_id"],
                "client_secret": client["client_secret"],
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": " ".join(client["redirect_uris"]),
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": True,
            },
        )
    server = make_server(
        "127.0.0.1", port, get_wsgi_application(), server_class=Server, handler_class=QuietHandler
    )
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]))
