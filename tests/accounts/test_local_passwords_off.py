"""LOCAL_PASSWORDS=off: only the company provider signs people in; every password route says so."""

import pytest
from django.contrib.auth import SESSION_KEY, authenticate
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
REFUSAL = "Passwords are switched off here: sign in with Acme Identity."


@pytest.fixture
def passwords_off(settings):
    settings.OIDC_ISSUER = "https://id.acme.example"
    settings.OIDC_RP_CLIENT_ID = "spec-review"
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Acme Identity"
    settings.LOCAL_PASSWORDS = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_the_login_page_offers_only_the_provider(passwords_off, client):
    html = client.get(reverse("accounts:login") + "?next=/decisions/").content.decode()
    assert "Sign in with Acme Identity" in html
    assert f'href="{reverse("accounts:oidc_start")}?next=/decisions/"' in html
    assert 'name="password"' not in html and "Forgot your password" not in html


def test_a_right_password_is_refused_with_a_clear_message(passwords_off, client, make_user):
    make_user("priya")
    response = client.post(reverse("accounts:login"), {"username": "priya", "password": PASSWORD})
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    assert SESSION_KEY not in client.session


def test_no_route_accepts_a_password(passwords_off, make_user):
    make_user("priya")
    request = RequestFactory().post("/admin/login/")
    assert authenticate(request, username="priya", password=PASSWORD) is None


def test_password_reset_is_refused_and_mails_nothing(passwords_off, client, make_user):
    user = make_user("mei", email="mei@example.com")
    for response in (
        client.get(reverse("accounts:password_reset")),
        client.post(reverse("accounts:password_reset"), {"email": "mei@example.com"}),
        client.get(reverse("accounts:password_reset_done")),
        client.get(reverse("accounts:password_reset_complete")),
        client.get(
            reverse(
                "accounts:password_reset_confirm",
                args=[urlsafe_base64_encode(force_bytes(user.pk)), "set-password"],
            )
        ),
    ):
        assert response.status_code == 403
        assert REFUSAL in response.content.decode()
    assert mail.outbox == []


def test_password_change_is_refused_and_not_offered(passwords_off, client, make_user):
    user = make_user("tomas")
    client.force_login(user)
    assert 'href="/accounts/password/"' not in client.get(reverse("reviews:home")).content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "x" * 20, "new_password2": "x" * 20},
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_with_passwords_on_both_ways_are_offered(settings, client, make_user):
    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID = "https://id.acme.example", "spec-review"
    settings.OIDC_ENABLED, settings.OIDC_PROVIDER_NAME = True, "Acme Identity"
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with Acme Identity" in html and 'name="password"' in html
    make_user("priya")
    signed_in = client.post(reverse("accounts:login"), {"username": "priya", "password": PASSWORD})
    assert signed_in.status_code == 302 and client.session[SESSION_KEY]
