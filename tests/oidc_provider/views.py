"""The test provider's own pages: a silent re-check (``prompt=none``) answered as a real
provider answers it, and a sign-out page that loads each client's front-channel logout URL in a
frame, as Microsoft Entra ID's does."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import render
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import AuthorizationView


class SilentAuthorizationView(AuthorizationView):
    """With ``prompt=none`` and the person still signed in here, the consent they gave before
    stands (django-oauth-toolkit would show its consent page again); without a session here,
    django-oauth-toolkit answers ``login_required``."""

    def get(self, request, *args, **kwargs):
        if "none" in request.GET.get("prompt", "").split():
            request.GET = request.GET.copy()
            request.GET["approval_prompt"] = "auto"
        return super().get(request, *args, **kwargs)


def signout(request):
    """Sign the person out here, and out of every client through its front-channel URL."""
    frames = []
    if request.user.is_authenticated:
        query = urlencode(
            {"iss": oauth2_settings.oidc_issuer(request), "sid": f"sid-{request.user.username}"}
        )
        frames = [
            f"{client['frontchannel_logout_uri']}?{query}"
            for client in settings.CONFIG["clients"]
            if client.get("frontchannel_logout_uri")
        ]
        logout(request)
    return render(request, "signout.html", {"frames": frames})
