from __future__ import annotations

from django.contrib.auth import logout


class StaffSecondFactorMiddleware:
    """A staff session without a verified second factor is not a session: log it out.

    The only login path for staff (``accounts.views.otp_step``) verifies TOTP; this guards
    against any other path (a session created by a script, a future login view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "kind", "") == "staff"
                and not user.is_verified()):
            logout(request)
        return self.get_response(request)
