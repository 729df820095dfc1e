import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from django.core.mail import send_mail

from core.mailsink import MaildirHandler


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_development_mail_arrives_over_smtp_as_readable_files(tmp_path, settings):
    port = free_port()
    controller = Controller(MaildirHandler(tmp_path / "mail"), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        send_mail(
            "Review requested",
            "Jonas Müller asked you to review v3.",
            "a@example.com",
            ["sofia@example.com"],
        )
    finally:
        controller.stop()
    files = list((tmp_path / "mail" / "new").iterdir())
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["Subject"] == "Review requested"
    assert message["X-Envelope-To"] == "sofia@example.com"
    assert "Jonas Müller" in message.get_content()
