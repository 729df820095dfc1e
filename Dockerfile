# syntax=docker/dockerfile:1
# Production image: gunicorn serving Django; run the worker from the same image with
#   docker run IMAGE celery -A config worker   (and `celery -A config beat` once);
# compose.yaml runs web, the render and mail workers and beat with a restart policy.
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements/app.lock /tmp/app.lock
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/app.lock
# The linter is a distribution of its own; the app itself runs from /app (gunicorn and celery
# put the working directory on the path), so nothing else is installed.
COPY speclint /src/speclint
RUN /opt/venv/bin/pip install --no-deps /src/speclint

FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    STATIC_ROOT=/app/staticfiles \
    SPEC_REVIEW_DATA_DIR=/app/.data \
    PROMETHEUS_MULTIPROC_DIR=/tmp/metrics \
    METRICS_DIR_PRIVATE=1
RUN groupadd --system app && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=app:app manage.py ./
COPY --chown=app:app accounts accounts
COPY --chown=app:app api api
COPY --chown=app:app config config
COPY --chown=app:app core core
COPY --chown=app:app notifications notifications
COPY --chown=app:app reviews reviews
COPY --chown=app:app specs specs
COPY --chown=app:app webhooks webhooks
COPY --chown=app:app templates templates
COPY --chown=app:app static static
COPY --chown=app:app demo demo
# collectstatic needs settings, not a database, a broker or a real secret: placeholders here.
RUN DATABASE_URL=postgres://build@localhost/build SECRET_KEY=collectstatic-only \
    CELERY_BROKER_URL=redis://build:6379/0 \
    python manage.py collectstatic --no-input -v 0 \
 && mkdir -p /app/.data /tmp/metrics && chown app:app /app/.data /tmp/metrics
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=4).status == 200 else 1)"
# config/gunicorn.conf.py: workers (WEB_CONCURRENCY), timeouts, the metrics hooks.
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
