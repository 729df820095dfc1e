import pytest

from specs import permissions
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db


def form(url="https://ci.example.com/hook", spec="payments-retry", events=("version.uploaded",)):
    return {"url": url, "spec": spec, "events": list(events)}


def test_a_spec_owner_subscribes_and_sees_the_secret_and_log(client, make_spec, author):
    make_spec()
    client.force_login(author)
    response = client.post("/webhooks/", form())
    subscription = Subscription.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/webhooks/{subscription.pk}/"
    page = client.get(f"/webhooks/{subscription.pk}/").content.decode()
    assert subscription.secret in page and subscription.secret.startswith("whsec_")
    assert client.get("/webhooks/").status_code == 200


def test_a_reader_may_not_subscribe_and_an_outsider_gets_404(client, make_spec, make_user):
    spec = make_spec()
    reader = make_user("reader")
    permissions.grant(spec, reader, permissions.SpecAction.VIEW)
    client.force_login(reader)
    assert client.post("/webhooks/", form()).status_code == 403
    client.force_login(make_user("outsider"))
    assert client.post("/webhooks/", form()).status_code == 404
    assert not Subscription.objects.exists()


def test_site_wide_is_for_admins(client, make_user):
    client.force_login(make_user("someone"))
    assert client.post("/webhooks/", form(spec="")).status_code == 403
    client.force_login(make_user("root", is_staff=True))
    assert client.post("/webhooks/", form(spec="")).status_code == 302
    assert Subscription.objects.get().spec is None


def test_bad_input_is_422_and_writes_nothing(client, make_spec, author):
    make_spec()
    client.force_login(author)
    response = client.post("/webhooks/", form(url="ftp://example.com/x", events=("nope",)))
    assert response.status_code == 422
    assert not Subscription.objects.exists()


def test_others_cannot_see_stop_or_redeliver_my_webhooks(client, make_spec, author, make_user):
    from specs import actions as spec_actions
    from webhooks import actions

    spec = make_spec()
    subscription = actions.subscribe(
        owner=author, url="http://127.0.0.1:9/x", events=["version.uploaded"], spec=spec
    )
    spec_actions.upload_version(spec=spec, data=b"# New\n\ntext\n", uploaded_by=author)
    row = Delivery.objects.get()
    client.force_login(make_user("mallory"))
    assert client.get(f"/webhooks/{subscription.pk}/").status_code == 404
    assert client.post(f"/webhooks/{subscription.pk}/stop/").status_code == 404
    url = f"/webhooks/{subscription.pk}/deliveries/{row.pk}/redeliver/"
    assert client.post(url).status_code == 404
    client.force_login(author)
    assert client.post(url).status_code == 302
    assert client.post(f"/webhooks/{subscription.pk}/stop/").status_code == 302
    assert not Subscription.objects.get().active
