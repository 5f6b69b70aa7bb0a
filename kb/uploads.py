"""Checks for files members attach to a submission: size, extension and actual content.

The extension alone is not trusted: PDFs must start with the PDF signature, Office/ODF files
must be ZIP packages with the expected manifest, CSV/TXT must be UTF-8 text.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "txt")
OOXML = {"docx", "xlsx", "pptx"}
ODF = {"odt", "ods", "odp"}


def max_upload_size() -> int:
    return getattr(settings, "KB_SUBMISSION_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)


def validate_resource_upload(upload: UploadedFile) -> None:
    """Raise ValidationError with a message a member can act on."""
    limit = max_upload_size()
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files can be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            }
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name})
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type. Accepted: %(types)s.")
            % {
                "name": upload.name,
                "types": ", ".join(ext.upper() for ext in ALLOWED_EXTENSIONS),
            }
        )
    if not _content_matches(upload, extension):
        raise ValidationError(
            _("“%(name)s” does not look like a real %(type)s file.")
            % {"name": upload.name, "type": extension.upper()}
        )


def _content_matches(upload: UploadedFile, extension: str) -> bool:
    upload.seek(0)
    try:
        if extension == "pdf":
            return upload.read(5) == b"%PDF-"
        if extension in OOXML or extension in ODF:
            if not zipfile.is_zipfile(upload):
                return False
            upload.seek(0)
            with zipfile.ZipFile(upload) as package:
                names = set(package.namelist())
            return "[Content_Types].xml" in names if extension in OOXML else "mimetype" in names
        head = upload.read(64 * 1024)
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the 64 KB boundary is still text.
            return error.start >= len(head) - 3
        return True
    finally:
        upload.seek(0)
