"""A real SMTP server (aiosmtpd) for the notification tests, scriptable to refuse or hang."""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.utils import timezone

from specs import permissions
from specs.models import Profile, Spec, SpecVersion

# A Wednesday morning in UTC, after the default digest hour (07:00): digests are due.
DIGEST_TIME = datetime.datetime(2026, 12, 2, 8, 0, tzinfo=datetime.UTC)


class ScriptedHandler:
    """Accepts and records every message, unless told to refuse one or to hold its reply.

    A held message is recorded before the reply: the server has it, the client does not know,
    which is the worst case for duplicates.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.rcpt_replies: list[str] = []
        self.data_replies: list[str] = []
        self.hold = threading.Event()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        raw = envelope.original_content or b""
        parsed = message_from_bytes(
            raw if isinstance(raw, bytes) else raw.encode(), policy=policy.default
        )
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        if self.hold.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = ScriptedHandler()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.handler.release.set()
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every test here makes several users; the real hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def smtp_server(settings, monkeypatch):
    """Django (here and in any worker started after this fixture) sends to a real SMTP server."""
    server = SmtpServer(free_port())
    server.start()
    values = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_USE_SSL": "0",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "SITE_URL": "https://review.example.com",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
        setattr(settings, name, int(value) if name == "EMAIL_PORT" else value)
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def people(make_user):
    class People:
        author = make_user("aisha", first_name="Aisha", last_name="Okafor")
        reviewer = make_user("ravi", first_name="Ravi", last_name="Menon")
        approver = make_user("mei", first_name="Mei", last_name="Lin")

    return People


@pytest.fixture
def make_spec(people):
    """Specs with versions as rows: notifications need them to exist, nothing more."""

    def make(slug: str = "payments-retry", versions: int = 2) -> Spec:
        now = timezone.now()
        spec = Spec.objects.create(
            slug=slug,
            title=slug.replace("-", " ").title(),
            profile=Profile.objects.get(name="generic"),
            author=people.author,
            created_at=now,
            updated_at=now,
        )
        for number in range(1, versions + 1):
            data = f"# {spec.title}\n\n## Context\n\nRevision {number}.\n".encode()
            version = SpecVersion.objects.create(
                spec=spec,
                number=number,
                original_bytes=data,
                source=data.decode(),
                sha256=hashlib.sha256(data).hexdigest(),
                size_bytes=len(data),
                uploaded_by=people.author,
                uploaded_at=now,
            )
        Spec.objects.filter(pk=spec.pk).update(current_version=version)
        for person in (people.author, people.reviewer, people.approver):
            permissions.grant(spec, person, permissions.SpecAction.VIEW)
        return spec

    return make


@pytest.fixture
def spec(make_spec):
    return make_spec()


def bodies(message: EmailMessage) -> tuple[str, str]:
    """The text and HTML parts of a multipart/alternative e-mail."""
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None, message.get_content_type()
    return text.get_content(), html.get_content()
