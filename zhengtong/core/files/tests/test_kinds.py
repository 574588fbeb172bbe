from __future__ import annotations

import io

import pytest

from zhengtong.core.files.actions import clean_name
from zhengtong.core.files.kinds import detect
from zhengtong.core.files.tests import samples


@pytest.mark.parametrize(("data", "kind"), [
    (samples.PDF, "pdf"), (samples.PNG, "png"), (samples.JPEG, "jpeg"), (samples.EXE, "exe"),
    (samples.ELF, "exe"), (b"#!/bin/sh\nrm -rf /\n", "exe"), (samples.docx(), "docx"),
    (samples.xlsx(), "xlsx"), (samples.ofd(), "ofd"), (samples.plain_zip(), "zip"), (b"just text", None),
])
def test_it_detects_kinds_by_content(data, kind):
    stream = io.BytesIO(data)
    assert detect(stream) == kind
    assert stream.tell() == 0


def test_it_keeps_only_the_base_name_of_an_upload():
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("C:\\Users\\li\\申请书.pdf") == "申请书.pdf"
    assert clean_name("a\x00b\n.pdf") == "ab.pdf"
    assert clean_name("") == "file"
