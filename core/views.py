"""Error answers that suit who asked: a full page for a browser, a short notice for htmx.

An htmx request that is refused must not swap a whole error page into the panel it targeted;
it gets a one-line notice retargeted to the page's notice area, and the panel stays as it was.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.views import defaults

REFUSED = "You may not do that on this spec."
MISSING = "That is not here, or it is not yours to see."


def _htmx_notice(message: str, status: int) -> HttpResponse:
    response = HttpResponse(
        f'<p class="message message-error" role="alert">{escape(message)}</p>', status=status
    )
    response["HX-Retarget"] = "#htmx-notices"
    response["HX-Reswap"] = "innerHTML"
    return response


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        return _htmx_notice(str(exception) or REFUSED, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        return _htmx_notice(MISSING, 404)
    return defaults.page_not_found(request, exception)
