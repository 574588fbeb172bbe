from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.files.models import Attachment
from zhengtong.core.notify.models import Message
from zhengtong.core.timelimits.models import CaseStatus, TimedCase
from zhengtong.services.applications.models import Application, MaterialStatus, Status
from zhengtong.services.applications.numbers import parse_number
from zhengtong.services.applications.tests.conftest import EXE, pdf
from zhengtong.services.applications.tests.helpers import material_key, submit

pytestmark = pytest.mark.django_db


def _files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_online_submission_numbers_clocks_audits_and_notifies(item, applicant, clerk, form_data):
    app = submit(item, applicant, form_data)
    assert parse_number(app.number) == app.number and app.number.startswith("361200")
    assert app.status == Status.SUBMITTED and app.applicant_name == "李娟"
    assert app.acceptance_case.case_type == "services.acceptance" and app.acceptance_case.limit_days == 2
    assert app.acceptance_case.party == applicant and app.acceptance_case.subject_code == item.code
    by_name = {m.name: m for m in app.materials.all()}
    assert by_name["营业执照"].status == MaterialStatus.SHARED and by_name["营业执照"].attachment is None
    assert by_name["身份证明"].attachment.object_type == "applications.application"
    assert app.events.get().action == "申报"
    assert AuditEntry.objects.filter(action="applications.application.submitted", object_id=str(app.pk)).exists()
    assert Message.objects.filter(recipient=applicant, channel="sms").exists()
    assert Message.objects.filter(recipient=clerk, channel="inbox", object_id=str(app.pk)).exists()


def test_form_page_is_prefilled_and_marks_shared_materials(client, item, applicant):
    client.force_login(applicant)
    response = client.get(f"/apply/new/{item.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="11010519491231002X"' in html and 'value="13800000001"' in html and 'value="李娟"' in html
    assert "共享获取，免提交" in html


def test_prefill_reuses_values_of_an_earlier_application(item, applicant, form_data, city):
    from zhengtong.services.applications.queries import prefill
    from zhengtong.services.applications.tests.conftest import make_item

    submit(item, applicant, {**form_data, "area": 42})
    other = make_item("SF-XZSP-0002", city.dept("approval"), name="招牌设置")
    data = prefill(applicant, other.current.form_schema)
    assert data["area"] == 42 and data["shop_name"] == "李记小吃" and data["id_number"] == "11010519491231002X"


def test_schema_errors_are_400_and_nothing_is_written(client, item, applicant, form_data, media):
    client.force_login(applicant)
    audit_before = AuditEntry.objects.count()
    post = {"f.name": "李娟", "f.id_number": "110105194912310021", "f.mobile": "13800000001",
            "f.area": "大", material_key(item, "身份证明"): pdf()}
    response = client.post(f"/apply/new/{item.code}/", post)
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写“店名”" in html and "公民身份号码校验码错误" in html and "“面积”应为数字" in html
    assert not Application.objects.exists() and not Attachment.objects.exists() and not _files(media)
    assert not TimedCase.objects.exists() and AuditEntry.objects.count() == audit_before


def test_disguised_executable_is_400_and_nothing_is_written(client, item, applicant, form_data, media):
    client.force_login(applicant)
    post = {f"f.{k}": v for k, v in form_data.items()}
    post[material_key(item, "身份证明")] = pdf()
    post[material_key(item, "场所证明")] = SimpleUploadedFile("place.pdf", EXE)
    response = client.post(f"/apply/new/{item.code}/", post)
    assert response.status_code == 400
    assert "不允许上传可执行文件" in response.content.decode()
    assert not Application.objects.exists() and not Attachment.objects.exists() and not _files(media)


def test_a_failure_after_storing_files_leaves_no_bytes(item, applicant, form_data, media, monkeypatch):
    from zhengtong.services.applications import submit as submit_module

    def boom(*args, **kwargs):
        raise RuntimeError("notify down")

    monkeypatch.setattr(submit_module, "_announce", boom)
    with pytest.raises(RuntimeError):
        submit(item, applicant, form_data)
    assert not Application.objects.exists() and not Attachment.objects.exists() and not _files(media)


def test_web_submission_redirects_to_the_case_page(client, item, applicant, form_data):
    client.force_login(applicant)
    post = {f"f.{k}": v for k, v in form_data.items()}
    post.update({material_key(item, "身份证明"): pdf(), "delivery": "post", "delivery_address": "示范市人民路1号"})
    response = client.post(f"/apply/new/{item.code}/", post)
    assert response.status_code == 302
    app = Application.objects.get()
    assert response["Location"] == f"/apply/case/{app.number}/"
    assert app.delivery == "post" and app.delivery_address == "示范市人民路1号"
    page = client.get(response["Location"]).content.decode()
    assert app.number in page and "申报" in page


def test_post_delivery_needs_an_address(item, applicant, form_data):
    from zhengtong.services.applications.errors import InvalidInput

    with pytest.raises(InvalidInput, match="邮寄地址"):
        submit(item, applicant, form_data, delivery="post")
    assert not Application.objects.exists()


def test_staff_cannot_apply_on_the_public_site(client, item, clerk):
    from zhengtong.testing.personas import login_staff

    login_staff(client, clerk)
    assert client.get(f"/apply/new/{item.code}/").status_code == 403


def test_acceptance_clock_is_open(item, applicant, form_data):
    app = submit(item, applicant, form_data)
    assert app.acceptance_case.is_open and app.acceptance_case.status != CaseStatus.PAUSED
