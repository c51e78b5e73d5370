"""Django's and allauth's sign-in backends, reading the signed-in person's row through
``learning.user_cache`` instead of the database on every request.

Sessions made before these backends existed name the library classes; the authentication
middleware (``learning.middleware.AuthenticationMiddleware``) reads those names as these, so
nobody is signed out by the change. Only ``get_user`` differs: signing in, passwords and
permissions are the libraries' own.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from learning.user_cache import keep_user, kept_user


class KeptUserMixin:
    def get_user(self, user_id):
        user = kept_user(user_id)
        if user is None:
            user_model = get_user_model()
            try:
                user = user_model._default_manager.get(pk=user_id)
            except user_model.DoesNotExist:
                return None
            keep_user(user)
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(KeptUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(KeptUserMixin, AllauthBackend):
    pass


# The library class a session may name -> the class that now does its work.
RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "learning.auth_backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "learning.auth_backends.AuthenticationBackend"
    ),
}
