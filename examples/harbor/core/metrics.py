"""Prometheus metrics, in a registry of the app's own (so several apps can share a process)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

__all__ = ["Metrics"]


class Metrics:
    """The collectors Harbor updates; exposed at ``/metrics`` in the text format.

    Under several worker processes each worker answers with its own figures (scrape each
    worker, or set up prometheus-client's multiprocess mode).
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "harbor_http_requests",
            "HTTP requests answered, by route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "harbor_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template.",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0),
        )
        self.orders_created = Counter(
            "harbor_orders_created", "Orders created (replays excluded).", registry=self.registry
        )
        self.webhook_attempts = Counter(
            "harbor_webhook_attempts",
            "Webhook delivery attempts, by outcome.",
            ["outcome"],
            registry=self.registry,
        )
        # Read from the outbox at scrape time: the same figure from every worker process.
        self.webhook_deliveries = Gauge(
            "harbor_webhook_deliveries",
            "Webhook outbox rows by status (failed: dead letters, given up after max attempts).",
            ["status"],
            registry=self.registry,
        )
