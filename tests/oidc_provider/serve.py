"""Start the test provider: ``python -m tests.oidc_provider.serve PORT`` with
HOPE_TEST_OIDC_DIR set. Makes its database, people and client applications, then serves on
127.0.0.1:PORT until stopped."""

import os
import sys


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for p in settings.CONFIG["people"]:
        if not User.objects.filter(username=p["username"]).exists():
            User.objects.create_user(p["username"], p["email"], p["password"])
    for c in settings.CONFIG["clients"]:
        Application.objects.update_or_create(
            client_id=c["client_id"],
            defaults={
                "name": c["client_id"],
                "client_secret": c["client_secret"],
                "hash_client_secret": False,
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": c["redirect_uri"],
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": False,
            },
        )
    call_command("runserver", f"127.0.0.1:{sys.argv[1]}", use_reloader=False, verbosity=0)


if __name__ == "__main__":
    main()
