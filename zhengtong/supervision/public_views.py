"""The applicant's 好差评 page, /supervision/rate/<case_id>/ (only the case's party; others 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhengtong.supervision import actions
from zhengtong.supervision.forms import RatingForm
from zhengtong.supervision.models import SUB_INDICATORS, Rating


def rate(request: HttpRequest, case_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    invitation = actions.invitation_for(case_id, request.user)
    if invitation is None:
        raise Http404(_("没有可评价的办件"))
    existing = Rating.objects.filter(case_id=case_id).first()
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if existing is not None:
            status = 409
            form.add_error(None, _("该办件已经评价过，一事一评，不能重复评价"))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                actions.check_submit_rating(invitation, level=data["level"], comment=data["comment"],
                                            indicators={c: data[c] for c, _label in SUB_INDICATORS})
            except actions.SupervisionError as exc:
                status = exc.status
                form.add_error(None, str(exc))
            except ValidationError as exc:
                status = 400
                form.add_error(None, "；".join(exc.messages))
            else:
                messages.success(request, _("感谢您的评价！"))
                return redirect("supervision:rate", case_id=case_id)
        else:
            status = 400
    return render(request, "supervision/rate.html", {"case": invitation.case, "form": form, "rating": existing,
                                                     "indicators": SUB_INDICATORS}, status=status)
