"""CompanyIdentityBackend's own checks on top of mozilla-django-oidc's."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from accounts.backends import CompanyIdentityBackend, is_provider_callback

ISSUER = "https://id.acme.example"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def configured(settings):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_RP_CLIENT_ID = "spec-review"
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_SIGN_ALGO = "RS256"


def id_token(**overrides) -> str:
    claims = {"iss": ISSUER, "aud": "spec-review", "sub": "1", "exp": int(time.time()) + 60}
    claims.update(overrides)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, KEY, algorithm="RS256")


def verify(token: str) -> dict:
    return CompanyIdentityBackend()._verify_jws(token, KEY.public_key())


def test_a_token_for_us_from_our_issuer_passes(configured):
    assert verify(id_token())["sub"] == "1"
    assert verify(id_token(aud=["another-app", "spec-review"], iss=ISSUER + "/"))["sub"] == "1"


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "another-app"},
        {"aud": None},
        {"iss": "https://evil.example"},
        {"iss": None},
        {"exp": None},
    ],
    ids=["other-audience", "no-audience", "other-issuer", "no-issuer", "no-expiry"],
)
def test_a_token_for_someone_else_or_for_ever_is_refused(configured, overrides):
    with pytest.raises(SuspiciousOperation):
        verify(id_token(**overrides))


def test_an_expired_token_is_refused(configured):
    with pytest.raises(jwt.ExpiredSignatureError):
        verify(id_token(exp=int(time.time()) - 120))


def test_a_password_sign_in_never_starts_a_token_exchange(configured):
    request = RequestFactory().post("/accounts/login/?code=stolen&state=guessed")
    backend = CompanyIdentityBackend()
    assert backend.authenticate(request, username="ada", password="x") is None
    assert backend.authenticate(request, nonce="n", username="ada") is None


def test_only_provider_callbacks_escape_the_password_lockout():
    request = RequestFactory().get("/accounts/company/callback/")
    assert is_provider_callback(request, {"username": None, "password": None, "nonce": "n"})
    assert not is_provider_callback(request, {"username": "ada", "password": "x"})
    assert not is_provider_callback(request, {"username": "ada", "password": "x", "nonce": "n"})
    assert not is_provider_callback(request, None)
