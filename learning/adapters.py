"""django-allauth behaviour for Holding Hope: the sign-up domain allow-list and invitations,
two-factor secrets at rest, and work-account (OpenID Connect) sign-in."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

INVITATION_SESSION_KEY = "hope_invitation_token"
INVITED_EMAIL_SESSION_KEY = "hope_invited_email"
WORK_ACCOUNT_ONLY_MESSAGE = gettext_lazy(
    "Your organisation asks you to sign in with your work account, not a password. Select "
    "'Sign in with your work account' and enter your work email address."
)


def name_request_url(user, url: str) -> str:
    """Where someone goes after signing in: ``url``, or first, once, "Your details" if we do
    not have their name (accounts made before sign-up asked for one, or from a work account
    that gave none). They can save a name or carry on to ``url``."""
    from urllib.parse import urlencode

    from learning.details.services import details_name_asked

    if getattr(user, "pk", None) and not user.display_name and details_name_asked(user=user):
        return reverse("account_details") + "?" + urlencode({"next": url})
    return url


def email_domain_allowed(email: str) -> bool:
    allowed = [d.lower().lstrip("@") for d in settings.HOPE_SIGNUP_ALLOWED_DOMAINS]
    if not allowed:
        return True
    domain = email.rsplit("@", 1)[-1].lower()
    return any(domain == d or domain.endswith("." + d) for d in allowed)


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).lower()
        request = getattr(self, "request", None)
        invited = request is not None and request.session.get(INVITED_EMAIL_SESSION_KEY) == email
        if not invited and not email_domain_allowed(email):
            raise forms.ValidationError(
                _(
                    "Sign-up is open to staff email addresses from partner organisations only. "
                    "Use your work email address, or ask your organisation admin to invite you."
                )
            )
        return email

    def get_login_redirect_url(self, request) -> str:
        token = request.session.get(INVITATION_SESSION_KEY)
        if token:
            url = reverse("invitation_accept", kwargs={"token": token})
        else:
            url = super().get_login_redirect_url(request)
        return name_request_url(request.user, url)

    def save_user(self, request, user, form, commit=True):
        """A new account from the sign-up form, with the name it asked for (through the
        details service, so the audit log records it)."""
        from learning.details.services import details_name_set

        user = super().save_user(request, user, form, commit=commit)
        name = (form.cleaned_data.get("display_name") or "").strip()
        if commit and name:
            details_name_set(user=user, display_name=name, at_signup=True)
        return user

    def get_signup_redirect_url(self, request) -> str:
        token = request.session.get(INVITATION_SESSION_KEY)
        if token:
            return reverse("invitation_accept", kwargs={"token": token})
        return super().get_signup_redirect_url(request)

    # --- links and names in allauth's emails ---------------------------------------------------
    # Every link goes through learning.site_url (the one base URL), and the emails name the
    # service and its address, never the host and port the request came in on.

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        from learning.site_url import absolute_url

        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        from urllib.parse import quote

        from learning.site_url import absolute_url

        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    @staticmethod
    def _service_context(context: dict) -> dict:
        from learning.site_url import absolute_url

        return {
            **context,
            "product": settings.HOPE_PRODUCT_NAME,
            "site_link": absolute_url("/"),
            "sign_in_link": absolute_url(reverse("account_login")),
            "reset_link": absolute_url(reverse("account_reset_password")),
        }

    @staticmethod
    def _language_for(context: dict) -> str:
        """The language the person chose, if the email is to someone with an account that has
        one; otherwise the language of the page (or task) that sent it."""
        user = context.get("user")
        return getattr(user, "language", "") or translation.get_language()

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        with translation.override(self._language_for(context)):
            super().send_mail(template_prefix, email, self._service_context(context))

    def send_mail_from_task(self, template_prefix: str, email: str, context: dict) -> None:
        """The same email path (templates, names, links, subject prefix) from a task, where
        there is no request to name the site: the one base URL names it."""
        with translation.override(self._language_for(context)):
            self.render_mail(template_prefix, email, self._service_context(context)).send()

    def add_message(self, request, level, message_template=None, *args, **kwargs) -> None:
        """A silent re-check with the work account's provider signs the person in again without
        their doing anything: no "signed in" message for it."""
        from learning.signin.views import RECHECK_SILENT

        if message_template == "account/messages/logged_in.txt" and request.session.pop(
            RECHECK_SILENT, None
        ):
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def populate_username(self, request, user) -> None:
        """There is no username: email is the sign-in."""

    def pre_login(self, request, user, **kwargs):
        """People at a domain that must use its work account cannot sign in any other way
        (password, passkey, email link): someone who leaves loses access with their work
        account."""
        from learning.signin.selectors import provider_signin_required

        if provider_signin_required(user.email) and not provider_signin_pending_for(request, user):
            from allauth.account.internal.stagekit import clear_login
            from django.contrib import messages
            from django.shortcuts import redirect

            clear_login(request)
            messages.error(request, WORK_ACCOUNT_ONLY_MESSAGE)
            return redirect("signin_work")
        return super().pre_login(request, user, **kwargs)

    def login(self, request, user) -> None:
        super().login(request, user)
        pending = provider_signin_pending_for(request, user)
        request.session.pop(PENDING_PROVIDER_SIGNIN, None)
        if pending:
            from learning.middleware import client_ip
            from learning.signin.services import provider_signin_record

            provider_signin_record(
                request=request,
                user=user,
                provider_id=pending["provider"],
                subject=pending["subject"],
                sid=pending["sid"],
                mfa=bool(pending["mfa"]),
                ip_address=client_ip(request),
            )


# --- two-factor secrets at rest ----------------------------------------------------------------
# allauth keeps each authenticator app's TOTP secret and the seed of the recovery codes in the
# database. They are encrypted with the same keys as reflective text, so a database dump or an
# admin screen never holds a secret that would let someone pass a person's second factor.

ENCRYPTED_PREFIX = "fernet:"


def encrypt_secret(text: str) -> str:
    from learning.encryption import encrypt_text

    return ENCRYPTED_PREFIX + encrypt_text(text)


def decrypt_secret(stored: str) -> str:
    from learning.encryption import decrypt_text

    if stored.startswith(ENCRYPTED_PREFIX):
        return decrypt_text(stored[len(ENCRYPTED_PREFIX) :])
    return stored  # written before encryption; the migration encrypts these


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)


def reencrypt_two_factor_secrets() -> int:
    """Re-encrypt every stored two-factor secret with the newest key (for key rotation).
    Returns how many authenticators were rewritten."""
    from allauth.mfa.models import Authenticator
    from django.db import transaction

    count = 0
    with transaction.atomic():
        for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
            data = dict(authenticator.data or {})
            for key in ("secret", "seed"):
                if isinstance(data.get(key), str) and data[key]:
                    data[key] = encrypt_secret(decrypt_secret(data[key]))
            if isinstance(data.get("migrated_codes"), list):
                data["migrated_codes"] = [
                    encrypt_secret(decrypt_secret(code)) for code in data["migrated_codes"]
                ]
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            count += 1
    return count


# --- work accounts (OpenID Connect) -------------------------------------------------------------
# A provider sign-in links to an existing account only through a verified email address, never
# an unverified one; the provider's MFA counts only where the deployment trusts it
# (learning/signin/). The claims the sign-in needs wait in the session until allauth has
# signed the person in (after any second-factor step), and are recorded then.

PENDING_PROVIDER_SIGNIN = "_hope_pending_provider_signin"


def _refuse(request, message: str):
    from allauth.core.exceptions import ImmediateHttpResponse
    from django.shortcuts import render

    raise ImmediateHttpResponse(
        render(request, "learning/signin/refused.html", {"message": message}, status=403)
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        """A new account from a work account: the email address and the name it gives."""
        user = sociallogin.user
        user.email = (data.get("email") or "").lower()
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.display_name = (name or "")[:150]
        return user

    def pre_social_login(self, request, sociallogin) -> None:
        from allauth.account.models import EmailAddress

        from learning.signin import config, selectors

        provider_id = sociallogin.account.provider
        data = sociallogin.account.extra_data or {}
        claims = {**(data.get("userinfo") or {}), **(data.get("id_token") or {})}
        email = (sociallogin.user.email or claims.get("email") or "").lower()
        vouched = bool(email) and selectors.provider_vouches_for(provider_id, email)
        verified = vouched or any(
            a.verified and a.email.lower() == email for a in sociallogin.email_addresses
        )
        for address in sociallogin.email_addresses:
            if address.email.lower() == email:
                address.verified = verified
        if sociallogin.state.get("process") == "connect":
            return
        user_id = sociallogin.user.pk if sociallogin.is_existing else None
        if not sociallogin.is_existing:
            if not email or not verified:
                _refuse(
                    request,
                    _(
                        "Your work account did not confirm your email address, so we cannot "
                        "sign you in with it. Sign in with your email address and password, "
                        "or ask your organisation admin for help."
                    ),
                )
            owner = get_user_model().objects.filter(email__iexact=email).first()
            if owner is not None:
                if not EmailAddress.objects.filter(
                    user=owner, email__iexact=email, verified=True
                ).exists():
                    _refuse(
                        request,
                        _(
                            "There is already an account with this email address, but the "
                            "address has not been confirmed. Sign in with your password and "
                            "confirm your email address first, then use your work account."
                        ),
                    )
                sociallogin.connect(request, owner)
                user_id = owner.pk
        provider_config = config.provider(provider_id)
        request.session[PENDING_PROVIDER_SIGNIN] = {
            "provider": provider_id,
            "subject": sociallogin.account.uid,
            "sid": str(claims.get("sid") or ""),
            "mfa": provider_config is not None
            and config.claims_assert_mfa(provider_config, claims),
            "user_id": user_id,
            "email": email,
        }

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """A silent re-check (prompt=none) the provider cannot answer without the person goes
        to the provider again, this time showing its sign-in page."""
        from allauth.core.exceptions import ImmediateHttpResponse

        from learning.signin.views import silent_recheck_failed

        response = silent_recheck_failed(request, provider)
        if response is not None:
            raise ImmediateHttpResponse(response)

    def send_notification_mail(self, template_prefix, user, context=None, **kwargs):
        from learning.middleware import client_ip
        from learning.signin import services

        request = getattr(self, "request", None) or context_request()
        account = (context or {}).get("account")
        if account is not None and template_prefix.endswith("account_connected"):
            services.provider_account_link_record(
                user=user, provider_id=account.provider, ip_address=client_ip(request)
            )
        elif account is not None and template_prefix.endswith("account_disconnected"):
            services.provider_account_unlink_record(
                user=user, provider_id=account.provider, ip_address=client_ip(request)
            )
        return super().send_notification_mail(template_prefix, user, context, **kwargs)


def context_request():
    from allauth.core import context

    return getattr(context, "request", None)


def provider_signin_pending_for(request, user) -> dict | None:
    """The provider sign-in this login completes, if it is for this person."""
    pending = request.session.get(PENDING_PROVIDER_SIGNIN)
    if not pending:
        return None
    if pending.get("user_id") not in (None, user.pk):
        return None
    if pending.get("user_id") is None and pending.get("email") != user.email.lower():
        return None
    return pending
