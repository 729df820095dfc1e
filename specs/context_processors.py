from django.http import HttpRequest

from specs import permissions


def abilities(request: HttpRequest) -> dict:
    """Site-wide booleans for the base layout; templates never decide permissions themselves."""
    return {"is_site_admin": permissions.is_site_admin(request.user)}
