"""django-oauth-toolkit's validator, with each person's claims from `people.json`, and the
ID token's own claims (`aud`, `exp`) overridden where a test asks it to get them wrong."""

import time
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from .people import person


class Validator(OAuth2Validator):
    # Every claim goes in the ID token and the userinfo answer, whatever the scopes.
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        claims: dict[str, Any] = person(request.user.username).get("claims", {})
        return claims

    def get_id_token_dictionary(self, token: Any, token_handler: Any, request: Any) -> Any:
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        wrong = dict(person(request.user.username).get("id_token", {}))
        if wrong.pop("expired", False):
            now = int(time.time())
            claims["iat"] = now - 3600
            claims["exp"] = now - 600  # ten minutes ago: past any leeway
        claims.update(wrong)
        return claims, expiration_time
