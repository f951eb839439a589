"""The provider's people: `people.json` in its directory, read afresh on every request.

{"username": {"password": "...", "claims": {"sub": "...", "email": "...", ...},
              "id_token": {"aud": "another-client", "expired": true}}}
"""

import json
import os
from pathlib import Path
from typing import Any


def people() -> dict[str, Any]:
    path = Path(os.environ["OIDC_PROVIDER_DIR"]) / "people.json"
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def person(username: str) -> dict[str, Any]:
    return people().get(username, {})
