"""Staff console pages of the spine, mounted inside the Wagtail admin frame under /console/."""

from __future__ import annotations

urlpatterns: list = []
