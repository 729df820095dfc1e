"""Run inside the provider's settings: create its people and the app's client registration.

python -m tests.accounts.oidc_provider.seed CLIENT_ID CLIENT_SECRET REDIRECT_URI...
"""

import sys

import django

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

from tests.accounts.oidc_provider.claims import UNVERIFIED_GROUP  # noqa: E402
from tests.accounts.oidc_provider.people import PEOPLE  # noqa: E402


def seed(client_id: str, client_secret: str, redirect_uris: list[str]) -> None:
    unverified, _ = Group.objects.get_or_create(name=UNVERIFIED_GROUP)
    for person in PEOPLE:
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={
                "email": person.email,
                "first_name": person.first_name,
                "last_name": person.last_name,
            },
        )
        if created:
            user.set_password(person.password)
            user.save()
            if not person.email_verified:
                user.groups.add(unverified)
    application = Application.objects.filter(client_id=client_id).first()
    if application is None:
        application = Application(
            name="Spec Review",
            client_id=client_id,
            client_secret=client_secret,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            algorithm=Application.RS256_ALGORITHM,
            # A company provider does not ask its own people to consent to an internal app.
            skip_authorization=True,
        )
    known = set(application.redirect_uris.split())
    application.redirect_uris = " ".join(sorted(known | set(redirect_uris)))
    application.save()


if __name__ == "__main__":
    seed(sys.argv[1], sys.argv[2], sys.argv[3:])
