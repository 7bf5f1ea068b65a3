"""Zip archives made in memory for the upload tests (test_upload_zip, test_app_build)."""

from __future__ import annotations

import io
import stat
import zipfile

__all__ = ["make_zip"]


def make_zip(
    entries: dict[str, bytes] | dict[str, str], links: dict[str, str] | None = None, method=zipfile.ZIP_DEFLATED
) -> bytes:
    """A .zip of *entries* (name -> content) and of symbolic *links* (name -> target), compressed with *method*."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()
