from __future__ import annotations

import pytest

from zhengtong.services.applications import actions
from zhengtong.services.applications.errors import InvalidInput
from zhengtong.services.applications.models import Application, BundleApplication, Status
from zhengtong.services.applications.submit import Submission
from zhengtong.services.applications.tests.conftest import pdf
from zhengtong.testing import personas as P

pytestmark = pytest.mark.django_db


def _slots(bundle):
    from zhengtong.services.applications.submit import bundle_versions, slots_for

    return {s.name: s.key for s in slots_for(bundle_versions(bundle))}


def test_bundle_creates_parallel_applications_and_finishes_together(bundle, applicant, clerk, city, hooks):
    keys = _slots(bundle)
    assert set(keys) == {"身份证明", "章程", "场所证明"}  # one set: union by name
    sub = Submission(applicant=applicant, data={"shop_name": "李记小吃", "area": 60},
                     uploads={keys["身份证明"]: pdf(), keys["章程"]: pdf(), keys["场所证明"]: pdf()})
    result = actions.check_submit_bundle(bundle, sub, actor=applicant)
    members = {a.department.code: a for a in result.applications.all()}
    assert set(members) == {"SF-XZSP", "SF-SCJG"}
    assert all(a.status == Status.SUBMITTED and a.acceptance_case for a in members.values())
    assert members["SF-XZSP"].form_data == {"shop_name": "李记小吃"}
    assert members["SF-SCJG"].materials.get(name="身份证明").attachment == \
        members["SF-XZSP"].materials.get(name="身份证明").attachment
    market_clerk = P.staff("clerk.sun", "孙丽", city.dept("market"), roles=["clerk"])
    actions.do_accept(members["SF-XZSP"], actor=clerk)
    hooks.bill.assert_not_called()
    actions.do_accept(members["SF-SCJG"], actor=market_clerk)
    hooks.bill.assert_called_once()
    assert isinstance(hooks.bill.call_args.args[0], BundleApplication)
    actions.do_decide(members["SF-XZSP"], granted=True, reason="", actor=clerk)
    result.refresh_from_db()
    assert result.finished_at is None
    actions.do_decide(members["SF-SCJG"], granted=True, reason="", actor=market_clerk)
    result.refresh_from_db()
    assert result.status == Status.GRANTED and result.finished_at is not None


def test_bundle_form_errors_write_nothing(bundle, applicant):
    with pytest.raises(InvalidInput) as exc:
        actions.check_submit_bundle(bundle, Submission(applicant=applicant, data={"area": "x"}), actor=applicant)
    assert exc.value.errors["shop_name"] == "请填写“店名”"
    assert not BundleApplication.objects.exists() and not Application.objects.exists()


def test_bundle_page_renders_the_merged_form(client, bundle, applicant):
    client.force_login(applicant)
    html = client.get("/apply/bundle/restaurant/").content.decode()
    assert "开办餐饮店" in html and 'name="f.shop_name"' in html and 'name="f.area"' in html
    assert html.count(">身份证明<") == 1
