"""Prometheus metrics, kept by prometheus_client and exposed in its text format.

One `Metrics` per app, on a registry of its own (two apps in one process, as in
tests, do not collide). With several worker processes (`multiprocess`), each
process writes its values to files in PROMETHEUS_MULTIPROC_DIR (set by `serve`)
and `/metrics` gathers every process's files, whichever worker answers it.
"""

from __future__ import annotations

import os

from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge,
                               Histogram, generate_latest)

#: request latency buckets, in seconds: a decision takes tens of microseconds
REQUEST_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
                   2.5, 10.0)
DECISION_BUCKETS = (0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                    0.01, 0.1)
CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self, multiprocess: bool = False) -> None:
        self.multiprocess = multiprocess
        # in multiprocess mode the values live in files: register nothing, collect those
        self.registry = None if multiprocess else CollectorRegistry()
        registry = self.registry
        self.requests = Counter("clausewise_requests", "HTTP requests answered, by endpoint "
                                "and status code", ["endpoint", "status"], registry=registry)
        self.latency = Histogram("clausewise_request_duration_seconds", "Time to answer a "
                                 "request, by endpoint", ["endpoint"], buckets=REQUEST_BUCKETS,
                                 registry=registry)
        self.decisions = Counter("clausewise_decisions", "Decisions made, by policy and "
                                 "effect", ["policy", "effect"], registry=registry)
        self.decide_latency = Histogram("clausewise_decision_duration_seconds", "Time to "
                                        "validate and decide one action",
                                        buckets=DECISION_BUCKETS, registry=registry)
        self.reloads = Counter("clausewise_reloads", "Policy reloads, by policy and result "
                               "(ok: a new version serves; error: the old one goes on)",
                               ["policy", "result"], registry=registry)
        self.errors = Counter("clausewise_errors", "Requests answered with an error, by "
                              "error code (bad-action, bad-json, too-large, unauthorized, "
                              "timeout, internal, ...)", ["code"], registry=registry)
        self.failing = Gauge("clausewise_policy_reload_failing", "1 while the policy's "
                             "latest edit failed to load (the previous version serves)",
                             ["policy"], registry=registry, multiprocess_mode="livemax")

    def reloaded(self, policy: str, ok: bool) -> None:
        self.reloads.labels(policy, "ok" if ok else "error").inc()
        self.failing.labels(policy).set(0 if ok else 1)

    def exposition(self) -> bytes:
        if not self.multiprocess:
            assert self.registry is not None
            return generate_latest(self.registry)
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)

    def close(self) -> None:
        if self.multiprocess:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid())
