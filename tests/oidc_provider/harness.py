"""Start and stop the test OpenID Connect provider (a second process), and make logout tokens
signed with its key, as its back-channel logout would send them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

REPO = Path(__file__).resolve().parents[2]
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
PASSWORD = "provider-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@dataclass
class TestProvider:
    data: Path
    port: int
    client_id: str
    client_secret: str
    key_pem: str
    process: subprocess.Popen | None = None
    log: Path | None = None
    people: list[dict] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def server_url(self) -> str:
        return f"{self.origin}/o"

    @property
    def issuer(self) -> str:
        return self.discovery()["issuer"]

    def discovery(self) -> dict:
        response = requests.get(f"{self.server_url}/.well-known/openid-configuration", timeout=5)
        response.raise_for_status()
        return response.json()

    def kid(self) -> str:
        keys = requests.get(self.discovery()["jwks_uri"], timeout=5).json()["keys"]
        return keys[0]["kid"]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def logout_token(self, **overrides) -> str:
        """A back-channel logout token signed with the provider's key; ``overrides`` replace or
        (with None) remove claims, ``key_pem``/``kid`` change the signature."""
        import jwt

        key_pem = overrides.pop("key_pem", self.key_pem)
        kid = overrides.pop("kid", self.kid())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": int(time.time()),
            "jti": uuid.uuid4().hex,
            "events": {BACKCHANNEL_EVENT: {}},
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, key_pem, algorithm="RS256", headers={"kid": kid})


def start_provider(
    data: Path,
    *,
    redirect_uri: str,
    people: list[dict],
    frontchannel_logout_uri: str = "",
    timeout: float = 90,
) -> TestProvider:
    """Start the provider on a free loopback port; raise RuntimeError if it does not answer."""
    data.mkdir(parents=True, exist_ok=True)
    provider = TestProvider(
        data=data,
        port=free_port(),
        client_id="hope-test-client",
        client_secret=uuid.uuid4().hex,
        key_pem=rsa_pem(),
        people=people,
    )
    (data / "key.pem").write_text(provider.key_pem)
    (data / "config.json").write_text(
        json.dumps(
            {
                "people": [{"password": PASSWORD, **p} for p in people],
                "clients": [
                    {
                        "client_id": provider.client_id,
                        "client_secret": provider.client_secret,
                        "redirect_uri": redirect_uri,
                        "frontchannel_logout_uri": frontchannel_logout_uri,
                    }
                ],
            }
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["HOPE_TEST_OIDC_DIR"] = str(data)
    provider.log = data / "provider.log"
    with open(provider.log, "w") as log:
        provider.process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve", str(provider.port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            break
        try:
            provider.discovery()
            return provider
        except requests.RequestException:
            time.sleep(0.3)
    provider.stop()
    raise RuntimeError(
        "the test OpenID Connect provider did not start: " + provider.log.read_text()[-2000:]
    )
