"""The id of the request (or task) being served, for logs and audit events."""

import contextvars
import re
import uuid

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)

# An id we accept from a proxy must be short and boring: it ends up in every log line.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def new_request_id(offered: str | None = None) -> str:
    if offered and _ACCEPTABLE_ID.match(offered):
        return offered
    return uuid.uuid4().hex


def get_request_id() -> str | None:
    return _request_id.get()


def set_request_id(value: str | None) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def get_client_ip() -> str | None:
    return _client_ip.get()


def set_client_ip(value: str | None) -> contextvars.Token:
    return _client_ip.set(value)
