"""Sentry and OpenTelemetry, each started only when its environment variable is set.

Imported by settings only when SENTRY_DSN or OTEL_EXPORTER_OTLP_ENDPOINT is set, so a deployment
without them never imports either SDK. Sentry ships with the app (sentry-sdk, small, pure
Python); OpenTelemetry is the optional extra `pip install '.[otel]'`.
"""

from __future__ import annotations

import os


def start() -> None:
    if os.environ.get("SENTRY_DSN"):
        start_sentry(os.environ["SENTRY_DSN"])
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        start_opentelemetry()


def start_sentry(dsn: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        # Spec text, comments and e-mail addresses are the customer's: never sent by default.
        send_default_pii=False,
    )


def start_opentelemetry() -> None:
    """Traces of requests (and their SQL) to the OTLP/HTTP collector the variable names.

    The exporter reads the standard OTEL_* variables itself (endpoint, headers, service name).
    """
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.instrumentation.django import DjangoInstrumentor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:
        raise RuntimeError(
            "OTEL_EXPORTER_OTLP_ENDPOINT is set but OpenTelemetry is not installed: "
            "pip install '.[otel]'"
        ) from exc
    service = os.environ.get("OTEL_SERVICE_NAME", "spec-review")
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    DjangoInstrumentor().instrument()
