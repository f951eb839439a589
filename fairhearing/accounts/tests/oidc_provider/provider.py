"""Start the test provider as a real HTTP server in a subprocess, and drive its sign-in the
way a browser would (`authorise`), with plain HTTP requests."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PROJECT_DIR = Path(__file__).resolve().parents[4]
CLIENT_ID = "fairhearing"
CLIENT_SECRET = "fairhearing-test-secret"
OTHER_CLIENT_ID = "another-service"
PERSON_PASSWORD = "provider-password"


@dataclass
class Provider:
    issuer: str
    directory: Path
    discovery: dict[str, Any]

    def people(self, people: dict[str, Any]) -> None:
        """Who can sign in at the provider, and with which claims (read on every request)."""
        (self.directory / "people.json").write_text(json.dumps(people))

    def settings(self) -> dict[str, Any]:
        """Fairhearing's settings for this provider, as the environment would give them."""
        return {
            "SSO_ENABLED": True,
            "SSO_PROVIDER_NAME": "Northfield Login",
            "OIDC_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.discovery["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": self.discovery["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": self.discovery["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.discovery["jwks_uri"],
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def start_provider(directory: Path, redirect_uris: list[str]) -> Iterator[Provider]:
    """The provider, serving until the block ends: a new RSA key, a new database."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (directory / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    clients = [
        {"client_id": client, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris}
        for client in (CLIENT_ID, OTHER_CLIENT_ID)
    ]
    (directory / "clients.json").write_text(json.dumps(clients))
    port = free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        {
            "OIDC_PROVIDER_DIR": str(directory),
            "OIDC_PROVIDER_ISSUER": issuer,
            "DJANGO_SETTINGS_MODULE": "fairhearing.accounts.tests.oidc_provider.settings",
        }
    )
    log = (directory / "provider.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own module, by the running interpreter
        [sys.executable, "-m", "fairhearing.accounts.tests.oidc_provider.serve", str(port)],
        cwd=PROJECT_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        discovery = _wait_for(f"{issuer}/.well-known/openid-configuration/", process, directory)
        yield Provider(issuer=issuer, directory=directory, discovery=discovery)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _wait_for(url: str, process: subprocess.Popen[bytes], directory: Path) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (directory / "provider.log").read_text()
            raise RuntimeError(f"the test provider stopped:\n{log}")
        try:
            response = requests.get(url, timeout=2)
        except requests.ConnectionError:
            time.sleep(0.2)
            continue
        response.raise_for_status()
        discovery: dict[str, Any] = response.json()
        return discovery
    raise RuntimeError("the test provider did not start within a minute")


def authorise(authorisation_url: str, username: str) -> str:
    """Sign in at the provider as a browser would (its sign-in page, then the authorisation
    endpoint); returns where the provider sends the browser back to, with code and state."""
    browser = requests.Session()
    url = authorisation_url
    for _ in range(5):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code != 302:
            raise AssertionError(f"the provider answered {response.status_code}: {response.text}")
        location = urljoin(url, response.headers["Location"])
        if "/login/" in location:
            signed_in = browser.post(
                location,
                data={"username": username, "password": PERSON_PASSWORD},
                allow_redirects=False,
                timeout=10,
            )
            if signed_in.status_code != 302:
                raise AssertionError(f"the provider refused {username}")
            url = urljoin(location, signed_in.headers["Location"])
            continue
        return location
    raise AssertionError("the provider never sent the browser back")
