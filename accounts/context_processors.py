from django.conf import settings
from django.http import HttpRequest


def sign_in(request: HttpRequest) -> dict:
    """How people sign in here, for the login page and the header's password link."""
    return {
        "local_passwords": settings.LOCAL_PASSWORDS,
        "provider_sign_in": settings.OIDC_ENABLED,
        "provider_name": settings.OIDC_PROVIDER_NAME,
    }
