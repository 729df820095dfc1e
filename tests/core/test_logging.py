import json
import logging

import pytest

from core.logging import JsonFormatter, RequestIdFilter
from core.request_context import new_request_id, reset_request_id, set_request_id


def format_record(message: str, **extra) -> dict:
    record = logging.makeLogRecord({"msg": message, "levelname": "INFO", "name": "t", **extra})
    RequestIdFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def test_log_lines_are_json_with_the_current_request_id():
    token = set_request_id("abc12345-request")
    try:
        entry = format_record("hello", path="/x")
    finally:
        reset_request_id(token)
    assert entry["message"] == "hello"
    assert entry["request_id"] == "abc12345-request"
    assert entry["path"] == "/x"


def test_offered_request_ids_must_be_sane():
    assert new_request_id("good-id-123456") == "good-id-123456"
    assert new_request_id("bad id\nwith newline") != "bad id\nwith newline"
    assert len(new_request_id(None)) == 32


@pytest.mark.django_db
def test_responses_echo_the_request_id(client):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="trace-0123456789")
    assert response["X-Request-ID"] == "trace-0123456789"
    assert len(client.get("/accounts/login/")["X-Request-ID"]) == 32
