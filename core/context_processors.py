from django.http import HttpRequest

SITE_NAME = "Spec Review"


def site(request: HttpRequest) -> dict:
    return {"site_name": SITE_NAME}
