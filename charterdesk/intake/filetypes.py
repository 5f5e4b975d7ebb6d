"""Is an attachment what it says it is? Pure (no Django).

The type is read from the content (magic bytes), then held against the type the sender
declared and the filename's extension. Executables are refused by content or by name;
so is anything whose content contradicts its label (a program named ``invoice.pdf``),
and anything not among the kinds a customer sends a desk: PDF, images, Office and
OpenDocument files, ZIP archives and plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

#: Kind -> the content type stored and the extension of the generated file name.
KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "png": ("image/png", ".png"),
    "jpeg": ("image/jpeg", ".jpg"),
    "gif": ("image/gif", ".gif"),
    "zip": ("application/zip", ".zip"),
    "ole": ("application/x-ole-storage", ".ole"),
    "text": ("text/plain", ".txt"),
}
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # .doc, .xls, .ppt, .msg
    (b"MZ", "executable"),  # Windows
    (b"\x7fELF", "executable"),
    (b"\xfe\xed\xfa", "executable"),  # Mach-O
    (b"\xcf\xfa\xed\xfe", "executable"),
    (b"\xce\xfa\xed\xfe", "executable"),
    (b"\xca\xfe\xba\xbe", "executable"),  # Mach-O universal, Java class
    (b"#!", "executable"),
)
_DECLARED = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/jpg": "jpeg",
    "image/pjpeg": "jpeg",
    "image/gif": "gif",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/msword": "ole",
    "application/vnd.ms-excel": "ole",
    "application/vnd.ms-powerpoint": "ole",
    "application/vnd.ms-outlook": "ole",
    "message/rfc822": "text",
}
_EXTENSIONS = {
    ".pdf": "pdf",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jfif": "jpeg",
    ".gif": "gif",
    ".zip": "zip",
    ".docx": "zip",
    ".xlsx": "zip",
    ".pptx": "zip",
    ".odt": "zip",
    ".ods": "zip",
    ".odp": "zip",
    ".doc": "ole",
    ".xls": "ole",
    ".ppt": "ole",
    ".msg": "ole",
    ".txt": "text",
    ".csv": "text",
    ".eml": "text",
    ".log": "text",
}
EXECUTABLE_EXTENSIONS = frozenset(
    [
        ".exe", ".com", ".scr", ".pif", ".bat", ".cmd", ".msi", ".msp", ".dll", ".cpl",
        ".jar", ".js", ".jse", ".vbs", ".vbe", ".wsf", ".wsh", ".ps1", ".psm1", ".hta",
        ".lnk", ".reg", ".sh", ".app", ".apk", ".iso", ".img", ".vhd", ".docm", ".xlsm",
        ".pptm",
    ]
)  # fmt: skip
_TEXT_CONTROLS = set(range(32)) - {9, 10, 12, 13, 27}


@dataclass(frozen=True, slots=True)
class Verdict:
    """``kind`` is set when the attachment may be stored; ``problem`` says why not."""

    kind: str | None
    problem: str = ""

    @property
    def content_type(self) -> str:
        return KINDS[self.kind][0] if self.kind else "application/octet-stream"

    @property
    def extension(self) -> str:
        return KINDS[self.kind][1] if self.kind else ""


def sniff(data: bytes) -> str | None:
    """The kind the content is, by its first bytes; None if none we know."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return "text" if _looks_like_text(data[:4096]) else None


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    controls = sum(1 for byte in head if byte in _TEXT_CONTROLS)
    return controls * 100 <= len(head)


def declared_kind(content_type: str) -> str | None:
    """The kind a declared type stands for; None for ``application/octet-stream`` and
    anything else that says nothing."""
    content_type = content_type.lower().split(";", 1)[0].strip()
    if content_type in _DECLARED:
        return _DECLARED[content_type]
    if content_type.startswith("text/"):
        return "text"
    if content_type.startswith(
        ("application/vnd.openxmlformats-", "application/vnd.oasis.opendocument.")
    ):
        return "zip"
    return None


def check(data: bytes, content_type: str, filename: str) -> Verdict:
    """May this attachment be stored, and as what?"""
    extension = PurePosixPath(filename.lower()).suffix
    found = sniff(data)
    if found == "executable" or extension in EXECUTABLE_EXTENSIONS:
        return Verdict(None, "an executable program")
    if found is None:
        return Verdict(None, "a type of file the desk does not accept")
    declared = declared_kind(content_type)
    if declared is not None and declared != found:
        return Verdict(None, f"declared as {content_type} but its content is {found}")
    named = _EXTENSIONS.get(extension)
    if extension and named is None and found != "text":
        return Verdict(None, f"named {extension} but its content is {found}")
    if named is not None and named != found:
        return Verdict(None, f"named {extension} but its content is {found}")
    return Verdict(found)
