"""A real OpenID Connect provider for the sign-in tests: django-oauth-toolkit in a tiny Django
project of its own, started by the tests in a second process on a free loopback port, with its
own SQLite file and an RSA key made at start (``harness.py``)."""
