"""Password reset by e-mail, through a real SMTP server (aiosmtpd) and Django's SMTP backend."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.notifications.conftest import SmtpServer, free_port

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 2026"


@pytest.fixture
def smtp(settings):
    server = SmtpServer(free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://review.example.com"
    try:
        yield server
    finally:
        server.stop()


def ask_for_link(client, address: str):
    return client.post(reverse("accounts:password_reset"), {"email": address})


def link_in(message) -> str:
    body = message.get_body(("plain",)).get_content()
    (link,) = re.findall(r"https://review\.example\.com(/accounts/password/reset/\S+/)", body)
    return link


def test_the_mailed_link_sets_a_new_password_and_ends_every_session(smtp, make_user):
    user = make_user("mei", email="mei@example.com")
    signed_in_elsewhere = Client()
    signed_in_elsewhere.post(
        reverse("accounts:login"), {"username": "mei", "password": "correct horse battery"}
    )
    assert signed_in_elsewhere.get(reverse("reviews:home")).status_code == 200
    client = Client()

    response = ask_for_link(client, "MEI@example.com ")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    (message,) = smtp.messages
    assert message["To"] == "mei@example.com"
    assert message["Subject"] == "Reset your Spec Review password"

    form = client.get(link_in(message), follow=True)
    assert form.status_code == 200 and b"Choose a new password" in form.content
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert SESSION_KEY not in client.session  # not signed in by the link itself
    # The old session died with the old password.
    assert signed_in_elsewhere.get(reverse("reviews:home")).status_code == 302
    # The link works once.
    again = client.get(link_in(message), follow=True)
    assert b"This link no longer works" in again.content
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": "mei", "password": NEW_PASSWORD})
        .status_code
        == 302
    )


def test_known_and_unknown_addresses_get_the_same_answer(smtp, client, make_user):
    make_user("tomas", email="tomas@example.com")
    known = ask_for_link(client, "tomas@example.com")
    unknown = ask_for_link(client, "nobody@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    page = client.get(known["Location"])
    assert (
        page.status_code == 200
        and b"If an account with a password uses that address" in page.content
    )
    assert [m["To"] for m in smtp.messages] == ["tomas@example.com"]


def test_accounts_without_a_usable_password_get_no_link(smtp, client, make_user):
    user = make_user("sso", email="sso@example.com")
    user.set_unusable_password()
    user.save()
    assert ask_for_link(client, "sso@example.com").status_code == 302
    assert smtp.messages == []


def test_requests_per_address_are_limited_alike_for_known_and_unknown(
    smtp, client, make_user, settings
):
    settings.PASSWORD_RESET_RATE_LIMIT = (2, 3600)
    make_user("aisha", email="aisha@example.com")
    for address in ("aisha@example.com", "ghost@example.com"):
        assert [ask_for_link(client, address).status_code for _ in range(3)] == [302, 302, 429]
    refused = ask_for_link(client, "Aisha@Example.com")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert len(smtp.messages) == 2
    assert ask_for_link(client, "someone-else@example.com").status_code == 302


def test_the_link_ignores_a_forged_host_header(smtp, client, make_user, settings):
    settings.ALLOWED_HOSTS = ["*"]
    make_user("kenji", email="kenji@example.com")
    client.post(
        reverse("accounts:password_reset"), {"email": "kenji@example.com"}, HTTP_HOST="evil.example"
    )
    (message,) = smtp.messages
    assert "evil.example" not in message.get_body(("plain",)).get_content()
    assert link_in(message)


def test_the_pages_open_without_signing_in_and_the_login_page_links_them(client):
    login = client.get(reverse("accounts:login"))
    assert reverse("accounts:password_reset").encode() in login.content
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.get(reverse("accounts:password_reset_done")).status_code == 200
    assert client.get(reverse("accounts:password_reset_complete")).status_code == 200
    bad = client.get("/accounts/password/reset/MQ/set-password/")
    assert bad.status_code == 200 and b"This link no longer works" in bad.content
