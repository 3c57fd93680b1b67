"""Uploads are refused while they stream, before anything reaches the disk.

`LimitedUploadHandler` is the only upload handler (settings.FILE_UPLOAD_HANDLERS). It keeps each
file in memory up to `settings.UPLOAD_MAX_BYTES` (512 KiB by default; at most
`DATA_UPLOAD_MAX_NUMBER_FILES` files a request) and drops the rest of a larger file as it arrives:
no temporary file is ever written, and the other fields of the form still arrive. Such a file
reaches the form as a `RefusedUpload`, which `LimitedImageField` (and `LimitedFileField`) turn
into a clear error on the field, saying the limit.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    _Uploaded = UploadedFile[bytes]
else:  # not subscriptable at run time
    _Uploaded = UploadedFile


def upload_limit() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


class RefusedUpload(_Uploaded):
    """A file that was over the limit: only its name and how much of it arrived."""

    refused = True

    def __init__(self, name: str, content_type: str, size: int) -> None:
        super().__init__(BytesIO(), name, content_type, size)


class LimitedUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer: BytesIO | None = BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.buffer is not None and self.received > upload_limit():
            self.buffer = None  # over the limit: free what was kept, keep nothing more
        if self.buffer is not None:
            self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile[bytes]:
        name = self.file_name or ""
        content_type = self.content_type or "application/octet-stream"
        if self.buffer is None:
            return RefusedUpload(name, content_type, self.received)
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=name,
            content_type=content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def too_large_error() -> ValidationError:
    return ValidationError(
        _("This file is too large. Files can be at most %(limit)s.")
        % {"limit": filesizeformat(upload_limit())},
        code="file_too_large",
    )


def check_size(data: Any) -> None:
    """Refuse a file the handler refused, and one larger than the limit that came another way."""
    if getattr(data, "refused", False) or (getattr(data, "size", 0) or 0) > upload_limit():
        raise too_large_error()


class LimitedFileField(forms.FileField):
    def to_python(self, data: Any) -> Any:
        check_size(data)
        return super().to_python(data)


class LimitedImageField(forms.ImageField):
    def to_python(self, data: Any) -> Any:
        check_size(data)
        return super().to_python(data)
