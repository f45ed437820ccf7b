"""Tokens as the Bot Framework signs them, checked by the real validator: the keys it would
fetch from the Bot Framework's published key set are a test key here (the one seam), the
rest is the SDK's own check. A good token is let in; one for another app, from another
issuer, expired, signed by another key, or issued for another service URL is not."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt import PyJWK

from handlers.teams.auth import Inbound
from handlers.teams.urls import ServiceUrls
from tests.e2e.teams_rig import TeamsRig, connector, teams_app, teams_rig
from tests.e2e.test_teams_requests import activity

__all__ = ["connector", "teams_rig"]  # fixtures
APP_ID = "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
KID = "bf-signing-key-1"
BOT_FRAMEWORK = "https://api.botframework.com"


def key_pair() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNER = key_pair()


class PublishedKeys:
    """Microsoft's published key sets (the Bot Framework's, Entra's), as the validator asks
    for them: one key, by its kid, so a token from an untrusted issuer is still well signed
    and only the issuer check can refuse it."""

    async def get_signing_key(self, jwks_uri: str, header: dict[str, Any]) -> PyJWK:
        hosts = ("https://login.botframework.com/", "https://login.microsoftonline.com/")
        if not jwks_uri.startswith(hosts):
            raise jwt.PyJWKClientError(f"not a Microsoft key set: {jwks_uri}")
        if header.get("kid") != KID:
            raise jwt.PyJWKClientError(f"no key {header.get('kid')!r}")
        public = jwt.algorithms.RSAAlgorithm.to_jwk(SIGNER.public_key(), as_dict=True)
        return PyJWK({**public, "kid": KID, "alg": "RS256", "use": "sig"})


def token(service_url: str, signer: rsa.RSAPrivateKey = SIGNER, **claims: Any) -> str:
    now = int(time.time())
    body = {
        "iss": BOT_FRAMEWORK,
        "aud": APP_ID,
        "serviceurl": service_url,
        "nbf": now - 60,
        "exp": now + 3600,
    } | claims
    return jwt.encode(body, signer, algorithm="RS256", headers={"kid": KID})


def inbound() -> Inbound:
    checked = Inbound(APP_ID)
    validator = checked._validator
    assert hasattr(validator, "_jwk_client_manager"), "the SDK moved its key lookup"
    validator._jwk_client_manager = PublishedKeys()  # type: ignore[assignment]
    return checked


async def answers(rig: TeamsRig, bearer: str, service_url: str = "") -> int:
    urls = ServiceUrls(extra=(rig.connector.url,))
    app = teams_app(rig.deps, rig.chat, urls, rig.kept, inbound())
    async with TestClient(TestServer(app)) as http:
        said = activity(service_url or rig.connector.url)
        headers = {"Authorization": f"Bearer {bearer}"}
        async with http.post("/api/messages", json=said, headers=headers) as r:
            status = r.status
    await rig.kept.work.idle()
    return status


async def test_a_token_signed_as_the_bot_framework_signs_it_is_let_in(
    teams_rig: TeamsRig,
) -> None:
    assert await answers(teams_rig, token(teams_rig.connector.url)) == 202
    assert teams_rig.connector.count("POST") == 1  # the bot answered "help"


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "9d1e4c2b-0000-4000-8000-000000000000"},
        {"iss": "https://evil.example"},
        {"iss": "https://sts.windows.net/8c1b1f52-95f1-4a59-9d6b-3f4a3c2f7d10/"},
        {"exp": int(time.time()) - 3600, "nbf": int(time.time()) - 7200},
    ],
    ids=["another app", "another issuer", "another tenant", "expired"],
)
async def test_a_token_for_something_else_is_401(
    teams_rig: TeamsRig, claims: dict[str, Any]
) -> None:
    assert await answers(teams_rig, token(teams_rig.connector.url, **claims)) == 401
    assert teams_rig.connector.calls == []


async def test_a_token_signed_by_another_key_is_401(teams_rig: TeamsRig) -> None:
    forged = token(teams_rig.connector.url, signer=key_pair())
    assert await answers(teams_rig, forged) == 401
    assert teams_rig.connector.calls == []


async def test_a_token_for_another_service_url_is_400(teams_rig: TeamsRig) -> None:
    issued_for = "https://smba.trafficmanager.net/emea/"
    assert await answers(teams_rig, token(issued_for)) == 400
    assert teams_rig.connector.calls == []
