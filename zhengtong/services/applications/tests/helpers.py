from __future__ import annotations

from zhengtong.services.applications import actions
from zhengtong.services.applications.submit import Submission
from zhengtong.services.applications.tests.conftest import pdf


def submit(item, applicant, data, *, uploads=None, **kw):
    version = item.current
    if uploads is None:
        ids = {m.name: m.pk for m in version.materials.all()}
        uploads = {f"m{ids['身份证明']}": pdf(), f"m{ids['场所证明']}": pdf("place.pdf")}
    return actions.check_submit_application(version, Submission(applicant=applicant, data=dict(data),
                                                                uploads=uploads, **kw), actor=applicant)


def material_key(item, name: str) -> str:
    return f"m{item.current.materials.get(name=name).pk}"
