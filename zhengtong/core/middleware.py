from __future__ import annotations

import time

from prometheus_client import Counter, Histogram

from zhengtong.core.audit.context import RequestFacts, client_ip, current

REQUESTS = Counter("zt_http_requests_total", "HTTP requests", ["method", "status"])
LATENCY = Histogram("zt_http_request_seconds", "HTTP request latency", ["method"])


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        LATENCY.labels(request.method).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, str(response.status_code)).inc()
        return response


class RequestContextMiddleware:
    """Make the client IP available to audit entries written anywhere in this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current.set(RequestFacts(ip=client_ip(request.META)))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
