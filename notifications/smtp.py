"""One SMTP conversation per e-mail, with a timeout on every step and an honest verdict.

The verdict is what at-most-once delivery rests on (docs/decisions/0004):

- a refusal with a reply code means the server did not take the message: 4xx (and a server we
  could not reach or that went quiet before the message body) is temporary, 5xx is permanent;
- a timeout or a dropped connection *after the DATA command* means we cannot know whether the
  server took it, so it is neither "sent" nor safe to send again: `OutcomeUnknown`.

Django's SMTP backend opens the connection (TLS, SSL, login: whatever the settings say); we
drive MAIL, RCPT and DATA ourselves, because its `send_messages` hides which step failed.
"""

from __future__ import annotations

import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address


class DeliveryError(Exception):
    """Why a send did not end in a 250; the message says it in a line an admin can read."""


class TemporaryFailure(DeliveryError):
    pass


class ServerUnavailable(TemporaryFailure):
    """Unreachable, refusing connections, or silent past EMAIL_TIMEOUT: pause all mail."""


class PermanentFailure(DeliveryError):
    pass


class OutcomeUnknown(DeliveryError):
    pass


def send(message: EmailMessage) -> str:
    """Send over SMTP when that is the configured backend, else through the backend as is.

    Returns the server's final reply ("250 2.0.0 Ok: queued as …"): the evidence of delivery.
    """
    backend = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
    if not isinstance(backend, SmtpBackend):
        # Console, file or locmem backends have no conversation that could half-succeed.
        try:
            backend.send_messages([message])
        except Exception as exc:
            raise TemporaryFailure(describe(exc)) from exc
        return f"accepted by {type(backend).__module__}"
    return _converse(backend, message)


def _converse(backend: SmtpBackend, message: EmailMessage) -> str:
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    # Django's SafeMIME classes take linesep (the stubs only know email.message.Message).
    payload = message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
    try:
        backend.open()
    except smtplib.SMTPResponseException as exc:
        raise refusal("connect", exc.smtp_code, exc.smtp_error) from exc
    except Exception as exc:  # refused, unreachable, silent past EMAIL_TIMEOUT, TLS failure
        raise ServerUnavailable(f"connect: {describe(exc)}") from exc
    connection = backend.connection
    assert connection is not None
    try:
        _envelope(connection, sender, recipients)
        try:
            code, reply = connection.data(payload)
        except smtplib.SMTPResponseException as exc:  # DATA itself refused: nothing was sent
            raise refusal("DATA", exc.smtp_code, exc.smtp_error) from exc
        except Exception as exc:
            raise OutcomeUnknown(
                f"delivery unknown: the connection failed after DATA ({describe(exc)})"
            ) from exc
        if code != 250:  # smtplib returns the final reply instead of raising on it
            raise refusal("DATA", code, reply)
        return reply_text(code, reply)
    finally:
        _close(connection)


def _envelope(connection: smtplib.SMTP, sender: str, recipients: list[str]) -> None:
    """MAIL FROM and RCPT TO: whatever fails here, the server holds nothing of ours."""
    try:
        connection.ehlo_or_helo_if_needed()
        code, reply = connection.mail(sender)
        if code != 250:
            raise refusal("MAIL FROM", code, reply)
        for recipient in recipients:
            code, reply = connection.rcpt(recipient)
            if code not in (250, 251):
                raise refusal(f"RCPT TO {parseaddr(recipient)[1]}", code, reply)
    except DeliveryError:
        raise
    except smtplib.SMTPResponseException as exc:
        raise refusal("envelope", exc.smtp_code, exc.smtp_error) from exc
    except Exception as exc:  # the connection dropped or went silent before the message
        raise ServerUnavailable(f"envelope: {describe(exc)}") from exc


def _close(connection: smtplib.SMTP) -> None:
    # The verdict is already known; a server that fumbles QUIT must not change it.
    try:
        connection.quit()
    except Exception:
        connection.close()


def refusal(step: str, code: int, reply: bytes | str) -> DeliveryError:
    detail = f"{step}: {reply_text(code, reply)}"[:1000]
    return PermanentFailure(detail) if 500 <= code <= 599 else TemporaryFailure(detail)


def reply_text(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {text}".strip()[:1000]


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()[:1000]
