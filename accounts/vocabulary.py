"""The words of signing in: audit verbs and the reasons a company sign-in is refused."""

from enum import StrEnum

from django.db.models import TextChoices


class AccountVerb(StrEnum):
    SIGNED_IN_WITH_PROVIDER = "account.signed_in_with_provider"
    CREATED_FROM_PROVIDER = "account.created_from_provider"
    PROVIDER_SIGN_IN_REFUSED = "account.provider_sign_in_refused"


class Refusal(TextChoices):
    """Why a person the provider vouched for still may not sign in here; the label is what the
    login page tells them."""

    NO_EMAIL = "no_email", "Your company account has no e-mail address, so we cannot match it."
    EMAIL_NOT_VERIFIED = (
        "email_not_verified",
        "Your company account's e-mail address is not verified. Verify it, then try again.",
    )
    DUPLICATE_EMAIL = (
        "duplicate_email",
        "More than one account here uses your e-mail address. Ask an administrator to merge them.",
    )
    DEACTIVATED = "deactivated", "Your account here is deactivated. Ask an administrator."
