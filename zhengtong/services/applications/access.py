"""Who may download an application's materials: the applicant, or staff who may view the case."""

from __future__ import annotations

from zhengtong.core.files.access import register_download_rule
from zhengtong.core.permissions.checks import has_perm

APPLICATION_FILES = "applications.application"
BUNDLE_FILES = "applications.bundleapplication"


@register_download_rule(APPLICATION_FILES)
def _application_rule(user, attachment) -> bool:
    from zhengtong.services.applications.models import Application

    app = Application.objects.select_related("department__region").filter(pk=attachment.object_id or 0).first()
    if app is None:
        return False
    if app.applicant_id == user.pk or has_perm(user, "applications.view", department=app.department):
        return True
    return _works_on(user, app)


def _works_on(user, app) -> bool:
    """Co-department approvers of a parallel or countersign process read the materials too."""
    from zhengtong.services.workflow.queries import is_eligible

    return any(is_eligible(user, task) for task in app.work_tasks.select_related("department__region"))


@register_download_rule(BUNDLE_FILES)
def _bundle_rule(user, attachment) -> bool:
    from zhengtong.services.applications.models import BundleApplication

    bundle = BundleApplication.objects.filter(pk=attachment.object_id or 0).first()
    if bundle is None:
        return False
    if bundle.applicant_id == user.pk:
        return True
    apps = bundle.applications.select_related("department__region")
    return any(has_perm(user, "applications.view", department=a.department) for a in apps)
