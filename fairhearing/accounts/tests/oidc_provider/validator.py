"""django-oauth-toolkit's validator, with each person's claims from `people.json`, and the
ID token's own claims (`aud`, `exp`) overridden where a test asks it to get them wrong; or
the token signed otherwise than with the provider's published key (`signed_by`)."""

import base64
import json
import time
from typing import Any

from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

from .people import person
from .provider import CLIENT_SECRET


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


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

    def finalize_id_token(self, id_token: Any, token: Any, token_handler: Any, request: Any) -> str:
        signed: str = super().finalize_id_token(id_token, token, token_handler, request)
        signer = person(request.user.username).get("signed_by")
        if not signer:
            return signed
        claims = signed.split(".")[1]
        claims += "=" * (-len(claims) % 4)
        payload = json.loads(base64.urlsafe_b64decode(claims))
        kid = request.client.jwk_key.thumbprint()
        if signer == "none":  # unsigned, RFC 7519 section 6
            header = {"alg": "none", "typ": "JWT"}
            return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}."
        if signer == "client_secret":  # HS256 with the client's secret: algorithm confusion
            key = jwk.JWK(kty="oct", k=_b64(CLIENT_SECRET.encode()))
            header = {"alg": "HS256", "typ": "JWT", "kid": kid}
        else:  # "stranger": a key of someone else's, under the provider's key id
            key = jwk.JWK.generate(kty="RSA", size=2048)
            header = {"alg": "RS256", "typ": "JWT", "kid": kid}
        forged = jwt.JWT(header=header, claims=payload)
        forged.make_signed_token(key)
        serialized: str = forged.serialize()
        return serialized
