"""Prometheus metrics at ``/metrics`` (``SERVICE_METRICS=true``): requests by method, route
template and status, their durations and sizes.

Labels are route templates (``/api/v1/students/{student_id}``), never the paths asked for: a
path holds record ids, and one series per id would grow without end; a path no route matches
is counted as ``none``. Each application has a registry of its own, so an application built
twice (tests) registers nothing twice. With several workers, set ``PROMETHEUS_MULTIPROC_DIR``
to an empty directory: each worker writes its figures there and any of them answers for all.
"""

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, PlatformCollector, ProcessCollector
from prometheus_fastapi_instrumentator import Instrumentator

METRICS_PATH = "/metrics"


def install_metrics(app: FastAPI) -> CollectorRegistry:
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    Instrumentator(
        should_group_status_codes=False,
        should_group_untemplated=True,
        excluded_handlers=[METRICS_PATH],
        registry=registry,
    ).instrument(app).expose(app, endpoint=METRICS_PATH, include_in_schema=False)
    return registry
