from django.http import HttpRequest

from specs import permissions


def abilities(request: HttpRequest) -> dict:
    """Site-wide booleans for the base layout; templates never decide permissions themselves."""
    # An error page for a request refused before authentication ran (a host name not in
    # ALLOWED_HOSTS answers 400) has no user: nobody there is an administrator.
    user = getattr(request, "user", None)
    return {"is_site_admin": user is not None and permissions.is_site_admin(user)}
