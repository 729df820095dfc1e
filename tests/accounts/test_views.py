import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def test_login_page_is_open_to_anonymous(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_login_page_names_the_product_not_the_host(client):
    html = client.get(reverse("accounts:login"), HTTP_HOST="testserver").content.decode()
    assert "<title>Sign in · Spec Review</title>" in html
    assert ">Spec Review</a>" in html
    assert "testserver" not in html


def test_pages_require_login_by_default(client):
    response = client.get(reverse("reviews:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_rotates_the_session(client, make_user):
    make_user("priya")
    client.get(reverse("accounts:login"))
    client.cookies[settings.SESSION_COOKIE_NAME] = "pre-login-session-id-that-must-not-survive"
    response = client.post(reverse("accounts:login"), {"username": "priya", "password": PASSWORD})
    assert response.status_code == 302
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != "pre-login-session-id-that-must-not-survive"
    assert client.session[SESSION_KEY]


def test_logout_is_post_only_and_ends_the_session(client, make_user):
    user = make_user()
    client.force_login(user)
    old_key = client.session.session_key
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.get(reverse("reviews:home")).status_code == 302


def test_password_change_ends_every_session(client, make_user, django_user_model):
    from django.test import Client

    user = make_user("tomas")
    other_device = Client()
    other_device.force_login(user)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "an entirely new phrase",
            "new_password2": "an entirely new phrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("reviews:home")).status_code == 302
    assert other_device.get(reverse("reviews:home")).status_code == 302
    user.refresh_from_db()
    assert user.check_password("an entirely new phrase")


def test_wrong_old_password_changes_nothing(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "an entirely new phrase",
            "new_password2": "an entirely new phrase",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert client.get(reverse("reviews:home")).status_code == 200


def test_repeated_failures_lock_the_account_out_with_a_cooloff(client, make_user):
    make_user("sofia")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "sofia", "password": "nope"})
    # Even the right password is refused during the cool-off, with a clear page.
    response = client.post(reverse("accounts:login"), {"username": "sofia", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert SESSION_KEY not in client.session
