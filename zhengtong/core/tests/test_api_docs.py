"""docs/api.md lists every operation the API serves, and only those (the table is what
integrators read first; a route added without a row, or a row left after a route went, fails)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from zhengtong.core.api.routes import api

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
METHODS = ("get", "post", "put", "patch", "delete")


def test_the_api_table_matches_the_openapi_document():
    schema = api.get_openapi_schema()
    served = {(method.upper(), path) for path, item in schema["paths"].items() for method in item
              if method in METHODS}
    listed = set(re.findall(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|", DOC.read_text(), re.M))
    assert sorted(served - listed) == [], "served but not in docs/api.md"
    assert sorted(listed - served) == [], "in docs/api.md but not served"
