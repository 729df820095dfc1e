import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("spec_review")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.before_task_publish.connect
def attach_request_id(headers=None, **kwargs):
    from core.request_context import get_request_id

    if headers is not None and "request_id" not in headers:
        headers["request_id"] = get_request_id()


@signals.task_prerun.connect
def adopt_request_id(task=None, **kwargs):
    from core.request_context import new_request_id, set_request_id

    offered = getattr(task.request, "request_id", None) if task else None
    set_request_id(offered or new_request_id())


@signals.task_postrun.connect
def drop_request_id(**kwargs):
    from core.request_context import set_request_id

    set_request_id(None)


@signals.setup_logging.connect
def use_django_logging(**kwargs):
    # Connecting this signal stops Celery from replacing our JSON handlers with its own.
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
