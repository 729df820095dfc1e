"""Mark requests that failed because PostgreSQL was unreachable, so they answer 503, not 500.

Django turns an exception raised inside any middleware into a 500 response before an outer
middleware can see it; `got_request_exception` is sent while the exception is still current,
so we note it on the request and `DatabaseUnavailableMiddleware` swaps the response.
"""

import sys

from django.core.signals import got_request_exception
from django.dispatch import receiver

from core.outage import is_database_outage


@receiver(got_request_exception)
def note_database_outage(sender, request=None, **kwargs) -> None:
    exc = sys.exc_info()[1]
    if request is not None and exc is not None and is_database_outage(exc):
        request.database_unavailable = True
