"""The work-account providers this deployment configured (``HOPE_OIDC_PROVIDERS``)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

MFA_CLAIM_DEFAULT = "amr"
MFA_VALUES_DEFAULT = ("mfa",)


@dataclass(frozen=True)
class ProviderConfig:
    id: str
    name: str
    server_url: str
    client_id: str
    trust_mfa: bool
    mfa_claim: str
    mfa_values: tuple[str, ...]

    @property
    def origin(self) -> str:
        parts = urlsplit(self.server_url)
        return f"{parts.scheme}://{parts.netloc}"


def providers() -> dict[str, ProviderConfig]:
    found = {}
    for raw in settings.HOPE_OIDC_PROVIDERS:
        found[raw["id"]] = ProviderConfig(
            id=raw["id"],
            name=raw.get("name", raw["id"]),
            server_url=raw["server_url"],
            client_id=raw["client_id"],
            trust_mfa=bool(raw.get("trust_mfa", False)),
            mfa_claim=raw.get("mfa_claim", MFA_CLAIM_DEFAULT),
            mfa_values=tuple(raw.get("mfa_values", MFA_VALUES_DEFAULT)),
        )
    return found


def provider(provider_id: str) -> ProviderConfig | None:
    return providers().get(provider_id)


def provider_origins() -> list[str]:
    """Where sign-in forms may send people (the Content Security Policy's form-action)."""
    return sorted({p.origin for p in providers().values()})


def claims_assert_mfa(config: ProviderConfig, claims: dict) -> bool:
    """True only if the deployment trusts this provider for MFA and its claim says MFA was
    used. ``amr`` is a list; a configured claim may be a list or a single value."""
    if not config.trust_mfa:
        return False
    value = claims.get(config.mfa_claim)
    values = value if isinstance(value, list) else [value]
    return any(str(v) in config.mfa_values for v in values if v is not None)
