import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from core.client_ip import client_ip_from
from core.models import AuditEvent

PROXIES = ("10.0.0.0/8", "192.0.2.7")


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.9", "", "203.0.113.9"),  # no proxy in front
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # a client's own header is ignored
        ("10.0.0.5", "198.51.100.1", "198.51.100.1"),  # our balancer says who it was
        ("10.0.0.5", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged hop further left
        ("10.0.0.5", "198.51.100.1, 192.0.2.7", "198.51.100.1"),  # through two of our proxies
        ("10.0.0.5", "garbage, 10.1.1.1", "10.1.1.1"),  # malformed: stop at the last good hop
        ("10.0.0.5", "", "10.0.0.5"),
        ("2001:db8::1", "198.51.100.1", "2001:db8::1"),
        (None, "198.51.100.1", None),
    ],
)
def test_forwarded_for_is_believed_only_from_trusted_proxies(remote, forwarded, expected):
    assert client_ip_from(remote, forwarded, PROXIES) == expected


@pytest.mark.django_db
def test_an_attacker_behind_the_balancer_cannot_lock_out_another_client(settings, make_user):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    make_user("sofia", password="correct horse battery")
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker.post(reverse("accounts:login"), {"username": "sofia", "password": "nope"})
    locked = attacker.post(
        reverse("accounts:login"), {"username": "sofia", "password": "correct horse battery"}
    )
    assert locked.status_code == 429
    sofia = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    response = sofia.post(
        reverse("accounts:login"), {"username": "sofia", "password": "correct horse battery"}
    )
    assert response.status_code == 302 and SESSION_KEY in sofia.session


@pytest.mark.django_db
def test_the_audit_trail_records_the_client_not_the_proxy(settings, client, reviewed_spec, people):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.force_login(people["aisha"])
    client.post(
        reverse("reviews:transition", args=[reviewed_spec.slug]),
        {"name": "submit", "row_version": reviewed_spec.row_version},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    event = AuditEvent.objects.filter(verb__startswith="spec.").latest("id")
    assert event.ip == "198.51.100.20"
