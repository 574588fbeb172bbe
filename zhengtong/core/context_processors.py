from __future__ import annotations

from django.conf import settings


def site(request):
    return {
        "zt_site": {
            "name": settings.ZT_SITE_NAME,
            "platform": settings.ZT_PLATFORM_NAME,
            "sponsor": settings.ZT_SITE_SPONSOR,
            "organizer": settings.ZT_SITE_ORGANIZER,
            "icp": settings.ZT_ICP_NUMBER,
            "psb": settings.ZT_PSB_NUMBER,
            "site_code": settings.ZT_SITE_CODE,
            "hotline": settings.ZT_SERVICE_HOTLINE,
            "demo": not settings.PRODUCTION,
        },
        "zt_elderly": request.COOKIES.get("zt_elderly") == "1",
    }
