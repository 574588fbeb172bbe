"""What a file *is*, judged by its bytes (magic numbers, zip directory), never by its name.

Pure: no Django models. ``detect`` reads from a seekable binary stream and leaves it at 0.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype

HEAD_BYTES = 8192


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    mime: str
    extensions: frozenset[str]


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("pdf", "PDF", "application/pdf", frozenset({".pdf"})),
    Kind("jpeg", "JPEG", "image/jpeg", frozenset({".jpg", ".jpeg"})),
    Kind("png", "PNG", "image/png", frozenset({".png"})),
    Kind("ofd", "OFD", "application/ofd", frozenset({".ofd"})),
    Kind("docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         frozenset({".docx"})),
    Kind("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         frozenset({".xlsx"})),
)}
DEFAULT_KINDS: frozenset[str] = frozenset(KINDS)

# Executable formats refused whatever they are called: PE (MZ), ELF, Mach-O (both byte
# orders, 32/64-bit, fat), Java class files share 0xCAFEBABE with fat Mach-O, and scripts.
_EXECUTABLE_MAGIC: tuple[bytes, ...] = (
    b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!",
)
_FILETYPE_EXECUTABLE = {"exe", "elf", "dex", "class", "swf", "msi", "deb", "rpm", "crx"}

# Members that identify an OOXML / OFD package (zip containers with different contents).
_ZIP_MARKERS: tuple[tuple[str, str], ...] = (
    ("ofd", "OFD.xml"),
    ("docx", "word/document.xml"),
    ("xlsx", "xl/workbook.xml"),
)


def is_executable(head: bytes) -> bool:
    if head.startswith(_EXECUTABLE_MAGIC):
        return True
    guessed = filetype.guess(head)
    return guessed is not None and guessed.extension in _FILETYPE_EXECUTABLE


def _zip_kind(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    for code, marker in _ZIP_MARKERS:
        if marker in names:
            return code
    return "zip"


def detect(stream: BinaryIO) -> str | None:
    """The content's kind code ("pdf", "docx", "zip", "exe", …) or None when unrecognised."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if is_executable(head):
        return "exe"
    guessed = filetype.guess(head)
    if guessed is None:
        return None
    if guessed.extension in {"zip", "docx", "xlsx", "pptx", "odt", "ods", "epub"}:
        kind = _zip_kind(stream)
        stream.seek(0)
        return kind
    return {"jpg": "jpeg"}.get(guessed.extension, guessed.extension)
