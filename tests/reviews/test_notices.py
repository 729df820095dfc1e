import pytest

from notifications.models import Notification
from reviews import actions
from specs import actions as spec_actions
from specs.models import Spec
from tests.conftest import RACI_SPEC

pytestmark = pytest.mark.django_db


def row_version(spec):
    return Spec.objects.get(pk=spec.pk).row_version


def outbox():
    return {
        (n.event, n.recipient.username) for n in Notification.objects.select_related("recipient")
    }


def test_review_steps_write_outbox_rows_in_the_same_transaction(reviewed_spec, people):
    actions.transition(
        spec=reviewed_spec,
        name="submit",
        by=people["aisha"],
        expected_row_version=row_version(reviewed_spec),
    )
    assert ("review_requested", "sofia") in outbox() and ("review_requested", "priya") in outbox()
    assert ("review_requested", "aisha") not in outbox()  # nobody hears about their own action
    actions.sign_off(
        spec=reviewed_spec,
        area="Security/Privacy",
        role="A",
        decision="request_changes",
        comment="Too long",
        by=people["sofia"],
        expected_version=1,
    )
    assert ("changes_requested", "aisha") in outbox()
    spec_actions.upload_version(
        spec=reviewed_spec, data=(RACI_SPEC + "\nFixed.\n").encode(), uploaded_by=people["aisha"]
    )
    assert ("version_uploaded", "sofia") in outbox()


def test_a_refused_action_writes_no_notification(reviewed_spec, people):
    with pytest.raises(actions.ReviewError):
        actions.transition(
            spec=reviewed_spec,
            name="approve",
            by=people["jonas"],
            expected_row_version=row_version(reviewed_spec),
        )
    assert not Notification.objects.exists()
