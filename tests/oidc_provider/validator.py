"""The claims the test provider asserts for each person (config.json): email, whether it is
verified, name, ``amr`` (multi-factor or not) and a provider session id ``sid``."""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


def person(username: str) -> dict:
    return next(p for p in settings.CONFIG["people"] if p["username"] == username)


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim, whatever the scopes

    def get_additional_claims(self, request):
        found = person(request.user.username)
        claims = {
            "email": found["email"],
            "name": found.get("name", ""),
            "amr": found.get("amr", ["pwd"]),
            "sid": f"sid-{found['username']}",
        }
        if "email_verified" in found:
            claims["email_verified"] = found["email_verified"]
        return claims
