"""Signing in with a work account (OpenID Connect: NHSmail / Microsoft Entra ID and any
standards-compliant issuer) and with passkeys.

- ``models``: email domains of organisations and the provider sessions behind sign-ins.
- ``config``: the providers a deployment configured (``HOPE_OIDC_PROVIDERS``).
- ``services``: what a provider sign-in changes (linking, joining, session records, audit).
- ``selectors``: domain routing and how each member signs in.
- ``logout``: OpenID Connect back-channel logout tokens.
- ``views``, ``forms``: the "sign in with your work account" step and the logout endpoint.
"""
