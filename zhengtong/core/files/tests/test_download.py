from __future__ import annotations

import os
import subprocess
import sys

from django.core.files.uploadedfile import SimpleUploadedFile

from zhengtong.core.files.access import RULES, can_download, register_download_rule
from zhengtong.core.files.actions import check_upload, do_store_attachment
from zhengtong.core.files.tests import samples


def _store(user, **owner):
    return do_store_attachment(check_upload(SimpleUploadedFile("申请书.pdf", samples.PDF)), actor=user, **owner)


def test_the_uploader_downloads_the_file_streamed(client, applicant):
    attachment = _store(applicant)
    client.force_login(applicant)
    response = client.get(f"/files/{attachment.pk}/")
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf" and "attachment;" in response["Content-Disposition"]


def test_someone_else_is_refused(client, applicant, enterprise_user):
    attachment = _store(applicant)
    client.force_login(enterprise_user)
    assert client.get(f"/files/{attachment.pk}/").status_code == 403


def test_the_public_is_sent_to_log_in_and_missing_files_are_404(client, applicant):
    attachment = _store(applicant)
    assert client.get(f"/files/{attachment.pk}/").status_code == 302
    client.force_login(applicant)
    assert client.get("/files/999999/").status_code == 404


def test_owner_apps_extend_who_may_download(applicant, enterprise_user):
    attachment = _store(applicant, object_type="tests.thing", object_id="1")
    assert not can_download(enterprise_user, attachment)
    register_download_rule("tests.thing")(lambda user, att: user.kind == "enterprise")
    try:
        assert can_download(enterprise_user, attachment)
    finally:
        del RULES["tests.thing"]


def _default_storage_in_a_fresh_process(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZT_S3_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="zhengtong.settings", ZT_VAR_DIR="/tmp/zt-files-storage-test")
    code = ("import django; django.setup()\n"
            "from django.core.files.storage import default_storage, storages\n"
            "from zhengtong.core.files.models import Attachment\n"
            "assert Attachment._meta.get_field('file').storage is default_storage\n"
            "s = storages['default']\n"
            "print(type(s).__name__, getattr(s, 'bucket_name', ''), getattr(s, 'endpoint_url', ''))")
    result = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_the_s3_setting_switches_the_storage_backend():
    assert _default_storage_in_a_fresh_process().startswith("FileSystemStorage")
    out = _default_storage_in_a_fresh_process(ZT_S3_BUCKET="zt-attachments", ZT_S3_ENDPOINT_URL="http://minio:9000")
    assert out == "S3Storage zt-attachments http://minio:9000"
