import re

import pytest
from django.urls import reverse

from core.models import AuditEvent
from notifications import actions
from notifications.events import Event, Mode, default_mode
from notifications.models import DeliverySchedule, Notification, NotificationPreference, State

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("notifications:preferences")
ADMIN = reverse("notifications:admin")


def all_modes(**overrides: str) -> dict[str, str]:
    defaults = {event.value: default_mode(event).value for event in Event}
    return {**defaults, **overrides}


def test_preferences_page_shows_each_event_with_the_defaults(client, people):
    client.force_login(people.reviewer)
    html = client.get(PREFERENCES).content.decode()
    assert html.count('type="radio"') == 3 * len(Event)
    checked = dict(
        re.findall(r'<input type="radio" name="(\w+)" value="(\w+)"[^>]* checked>', html)
    )
    assert checked == {event.value: default_mode(event).value for event in Event}
    assert checked["version_uploaded"] == "digest" and checked["mentioned"] == "immediate"


def test_preferences_post_saves_and_redirects(client, people):
    client.force_login(people.reviewer)
    response = client.post(PREFERENCES, all_modes(mentioned="off", version_uploaded="immediate"))
    assert response.status_code == 302
    modes = NotificationPreference.objects.modes_of(people.reviewer)
    assert modes[Event.MENTIONED] == Mode.OFF and modes[Event.VERSION_UPLOADED] == Mode.IMMEDIATE
    assert AuditEvent.objects.get(verb="notifications.preferences_changed").data == {
        "mentioned": "off",
        "version_uploaded": "immediate",
    }


def test_preferences_htmx_post_answers_with_the_form_partial(client, people):
    client.force_login(people.reviewer)
    response = client.post(PREFERENCES, all_modes(due_soon="digest"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="preferences-form"') and "<html" not in html
    assert "Saved." in html


def test_a_forged_mode_is_refused_and_changes_nothing(client, people):
    client.force_login(people.reviewer)
    response = client.post(PREFERENCES, all_modes(mentioned="loud"), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert not NotificationPreference.objects.exists()


def test_preferences_need_a_login(client):
    response = client.get(PREFERENCES)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.fixture
def failed(spec, people):
    (row,) = actions.notify(
        event=Event.MENTIONED,
        spec=spec,
        version_number=2,
        actor=people.author,
        recipients=[people.reviewer],
        context={},
    )
    Notification.objects.filter(pk=row.pk).update(
        state=State.FAILED, attempts=1, last_error="RCPT TO ravi@example.com: 550 No such user"
    )
    return row


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user("operator", is_staff=True))
    return client


def test_admin_page_lists_failed_rows_with_the_error_and_a_retry_button(staff, failed):
    html = staff.get(ADMIN).content.decode()
    assert "550 No such user" in html
    assert reverse("notifications:retry", args=[failed.pk]) in html


def test_admin_page_shows_sent_failed_and_unknown_apart_with_their_evidence(
    staff, failed, spec, people
):
    rows = actions.notify(
        event=Event.REVIEW_REQUESTED,
        spec=spec,
        version_number=2,
        actor=people.author,
        recipients=[people.reviewer, people.approver],
        context={},
    )
    unknown, sent = rows
    Notification.objects.filter(pk=unknown.pk).update(
        state=State.UNKNOWN,
        message_id="<notification-unknown@example.com>",
        last_error="delivery unknown: no verdict was recorded",
    )
    Notification.objects.filter(pk=sent.pk).update(
        state=State.SENT,
        message_id="<notification-sent@example.com>",
        smtp_reply="250 2.0.0 Ok: queued as 4XyZ",
    )
    html = staff.get(ADMIN).content.decode()
    headings = ["Delivery unknown", "Failed: refused by the mail server", ">Sent"]
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)
    unknown_section = html[positions[0] : positions[1]]
    failed_section = html[positions[1] : positions[2]]
    assert "&lt;notification-unknown@example.com&gt;" in unknown_section
    assert reverse("notifications:retry", args=[unknown.pk]) in unknown_section
    assert "550 No such user" in failed_section and "notification-unknown" not in failed_section
    sent_section = html[positions[2] :]
    assert (
        "queued as 4XyZ" in sent_section and "&lt;notification-sent@example.com&gt;" in sent_section
    )
    assert reverse("notifications:retry", args=[sent.pk]) not in html


def test_admin_page_query_count_does_not_grow_with_rows(
    staff, failed, spec, people, make_user, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        staff.get(ADMIN)
    actions.notify(
        event=Event.REVIEW_REQUESTED,
        spec=spec,
        version_number=2,
        actor=people.author,
        recipients=[make_user() for _ in range(8)],
        context={},
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff.get(ADMIN)


def test_retry_with_htmx_requeues_and_answers_with_the_row(staff, failed):
    url = reverse("notifications:retry", args=[failed.pk])
    response = staff.post(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="notification-{failed.pk}"') and "Pending" in html
    assert Notification.objects.get(pk=failed.pk).state == State.PENDING


def test_retry_without_htmx_redirects_and_a_sent_row_is_refused(staff, failed):
    url = reverse("notifications:retry", args=[failed.pk])
    assert staff.post(url).status_code == 302
    Notification.objects.filter(pk=failed.pk).update(state=State.SENT)
    response = staff.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and b"cannot be retried" in response.content


def test_the_outbox_is_for_staff_only(client, people, failed):
    client.force_login(people.reviewer)
    assert client.get(ADMIN).status_code == 403
    assert client.post(reverse("notifications:retry", args=[failed.pk])).status_code == 403
    assert Notification.objects.get(pk=failed.pk).state == State.FAILED


SCHEDULE = reverse("notifications:schedule")


def test_the_preferences_page_sets_the_digest_hour_and_time_zone(client, people):
    client.force_login(people.reviewer)
    html = client.get(PREFERENCES).content.decode()
    assert 'name="time_zone"' in html and 'value="UTC"' in html
    assert '<option value="Europe/Berlin">' in html
    response = client.post(SCHEDULE, {"digest_hour": "6", "time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    schedule = DeliverySchedule.objects.get(user=people.reviewer)
    assert (schedule.digest_hour, schedule.time_zone) == (6, "Europe/Berlin")
    assert AuditEvent.objects.get(verb="notifications.schedule_changed").data == {
        "digest_hour": 6,
        "time_zone": "Europe/Berlin",
    }


def test_an_unknown_time_zone_is_refused_with_a_message_and_changes_nothing(client, people):
    client.force_login(people.reviewer)
    response = client.post(
        SCHEDULE, {"digest_hour": "6", "time_zone": "Mars/Olympus"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<form id="schedule-form"')
    assert "“Mars/Olympus” is not a time zone name" in html and 'aria-invalid="true"' in html
    assert not DeliverySchedule.objects.exists()
    assert client.post(SCHEDULE, {"digest_hour": "24", "time_zone": "UTC"}).status_code == 422
