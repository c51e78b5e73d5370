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

    # A silent re-check (prompt=none) reaches these only for someone signed in here
    # (django-oauth-toolkit answers login_required to anyone else), whose consent was given at
    # their first sign-in: confirmed without a page, as real providers do.
    def validate_silent_login(self, request):
        return True

    def validate_silent_authorization(self, request):
        return True
