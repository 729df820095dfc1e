"""Company sign-in end to end over HTTP: the app (Django's test client) and a real OpenID
Connect provider (django-oauth-toolkit in its own process, see oidc_provider/), its login form
driven with requests."""

from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from accounts.vocabulary import AccountVerb, Refusal
from core.models import AuditEvent
from tests.accounts.oidc_provider.people import ADA, GRACE, NIA, Person

pytestmark = pytest.mark.django_db


def provider_login(client, person: Person, start_query: str = "") -> str:
    """From the app's "Sign in with…" to the provider's answer: the callback path and query."""
    start = client.get(reverse("accounts:oidc_start") + start_query)
    assert start.status_code == 302
    browser = requests.Session()
    form = browser.get(start["Location"], timeout=10)
    assert form.status_code == 200 and "Test Identity" in form.text
    signed_in = browser.post(
        form.url,
        data={
            "username": person.username,
            "password": person.password,
            "csrfmiddlewaretoken": browser.cookies["test_op_csrf"],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text
    authorize = urljoin(form.url, signed_in.headers["Location"])
    answer = browser.get(authorize, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    callback = urlsplit(answer.headers["Location"])
    assert callback.netloc == "testserver"
    return f"{callback.path}?{callback.query}"


def signed_in_user(client):
    return client.session.get(SESSION_KEY)


def test_an_existing_person_is_matched_and_lands_on_the_dashboard(
    company_sign_in, client, make_user
):
    ada = make_user("ada", email="ada.lovelace@example.com", first_name="A", last_name="L")

    landing = client.get(provider_login(client, ADA))

    assert landing.status_code == 302 and landing["Location"] == reverse("reviews:home")
    assert signed_in_user(client) == str(ada.pk)
    dashboard = client.get(landing["Location"])
    assert dashboard.status_code == 200 and "Ada Lovelace" in dashboard.content.decode()
    event = AuditEvent.objects.get(verb=AccountVerb.SIGNED_IN_WITH_PROVIDER)
    assert event.actor_id == ada.pk
    assert event.data["issuer"] == company_sign_in.issuer and event.data["subject"]


def test_a_new_person_gets_an_account_and_the_next_page(company_sign_in, client):
    landing = client.get(provider_login(client, NIA, "?next=/decisions/"))

    assert landing["Location"] == "/decisions/"
    nia = User.objects.get(email="nia@example.com")
    assert (nia.username, nia.display_name) == ("nia", "Nia Newcomer")
    assert not nia.has_usable_password()
    assert signed_in_user(client) == str(nia.pk)
    # No password to change, so the header does not offer it.
    page = client.get("/decisions/").content.decode()
    assert "Nia Newcomer" in page and f'href="{reverse("accounts:password_change")}"' not in page


def test_an_unverified_address_is_refused_with_the_reason(company_sign_in, client):
    landing = client.get(provider_login(client, GRACE), follow=True)

    assert landing.redirect_chain[-1][0] == reverse("accounts:login")
    assert escape(Refusal.EMAIL_NOT_VERIFIED.label) in landing.content.decode()
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(email__iexact=GRACE.email).exists()
    assert AuditEvent.objects.filter(verb=AccountVerb.PROVIDER_SIGN_IN_REFUSED).count() == 1


def test_a_replayed_callback_signs_nobody_in(company_sign_in, client, make_user):
    make_user("ada", email="ada.lovelace@example.com")
    callback = provider_login(client, ADA)
    assert client.get(callback).status_code == 302
    client.post(reverse("accounts:logout"))

    replayed = client.get(callback, follow=True)

    assert replayed.redirect_chain[-1][0] == reverse("accounts:login")
    assert "could not be finished" in replayed.content.decode()
    assert SESSION_KEY not in client.session


def test_a_deactivated_persons_session_ends(company_sign_in, client, make_user):
    ada = make_user("ada", email="ada.lovelace@example.com")
    client.get(provider_login(client, ADA))
    assert client.get(reverse("reviews:home")).status_code == 200

    User.objects.filter(pk=ada.pk).update(is_active=False)

    assert client.get(reverse("reviews:home")).status_code == 302


def test_refusals_do_not_lock_the_office_out(company_sign_in, client, make_user, settings):
    """django-axes counts password failures per username and address; refused company sign-ins
    from one address (one office behind NAT) must not lock everybody there out."""
    make_user("ada", email="ada.lovelace@example.com")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.get(provider_login(client, GRACE))

    client.get(provider_login(client, ADA))

    assert signed_in_user(client)


def test_the_provider_saying_no_returns_to_the_login_page(company_sign_in, client):
    client.get(reverse("accounts:oidc_start"))
    state = next(iter(client.session["oidc_states"]))

    refused = client.get(
        reverse("accounts:oidc_callback"), {"error": "access_denied", "state": state}, follow=True
    )

    assert "Test Identity did not sign you in" in refused.content.decode()
    assert SESSION_KEY not in client.session


def test_without_configuration_the_company_pages_do_not_exist(client):
    assert client.get(reverse("accounts:oidc_start")).status_code == 404
    assert client.get(reverse("accounts:oidc_callback")).status_code == 404
    login = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with" not in login and 'name="password"' in login


def test_a_discovery_document_naming_another_issuer_is_not_trusted(
    company_sign_in, client, settings, caplog
):
    # The same provider reached by another name: its document names 127.0.0.1, not localhost.
    settings.OIDC_ISSUER = company_sign_in.issuer.replace("127.0.0.1", "localhost")

    refused = client.get(reverse("accounts:oidc_start"), follow=True)

    assert refused.redirect_chain[-1][0] == reverse("accounts:login")
    assert "could not be finished" in refused.content.decode()
    assert "names another issuer" in caplog.text


def test_a_provider_that_does_not_answer_gets_a_message(company_sign_in, client, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9/o"  # the discard port: nothing listens

    refused = client.get(reverse("accounts:oidc_start"), follow=True)

    assert "could not be finished" in refused.content.decode()
