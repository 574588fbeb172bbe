from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengtong.core.files.tests import samples
from zhengtong.core.seals.actions import check_sign_document, do_create_seal


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def market_seal(city, sysadmin):
    return do_create_seal(city.dept("market"), actor=sysadmin)


@pytest.fixture
def signed(market_seal, approver):
    return check_sign_document(market_seal.department, pdf_upload(), "关于准予食品经营许可的决定", actor=approver)


def pdf_upload(data: bytes = samples.PDF, name: str = "准予许可决定书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")
