"""Avatar uploads: checked by content (not by name or browser-supplied type), then resized.

A file passes when Pillow recognises it as JPEG, PNG, GIF or WebP, it fits the byte limit and
its pixel dimensions are sane (a tiny file can still decode to gigapixels). The stored avatar is
always a square WebP of ``AVATAR_SIZE`` pixels with metadata (EXIF, GPS) stripped.
"""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP"})
AVATAR_SIZE = 256
MAX_PIXELS = 40_000_000


def avatar_max_bytes() -> int:
    return getattr(settings, "MEMBERS_AVATAR_MAX_BYTES", 2 * 1024 * 1024)


def validate_avatar_upload(upload) -> None:
    """Raise ValidationError with a message for the member unless ``upload`` is a usable image."""
    limit = avatar_max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("This picture is %(size)s; the limit is %(limit)s. Please choose a smaller one."),
            code="avatar_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a picture we can read. Upload a JPEG, PNG, GIF or WebP image."),
            code="avatar_not_image",
        ) from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Pictures must be JPEG, PNG, GIF or WebP; this one is %(format)s."),
            code="avatar_wrong_format",
            params={"format": image_format},
        )
    if width * height > MAX_PIXELS or min(width, height) < 1:
        raise ValidationError(
            _("This picture's dimensions (%(width)s × %(height)s pixels) are too large."),
            code="avatar_too_many_pixels",
            params={"width": width, "height": height},
        )


def resized_avatar(upload) -> ContentFile:
    """A square ``AVATAR_SIZE`` WebP of ``upload`` (already validated), orientation applied."""
    upload.seek(0)
    with Image.open(upload) as image:
        image.seek(0)  # first frame of an animated GIF or WebP
        oriented = ImageOps.exif_transpose(image)
        has_alpha = oriented.mode in ("RGBA", "LA") or "transparency" in oriented.info
        converted = oriented.convert("RGBA" if has_alpha else "RGB")
        square = ImageOps.fit(converted, (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
        buffer = BytesIO()
        square.save(buffer, format="WEBP", quality=85, method=4)
    return ContentFile(buffer.getvalue(), name="avatar.webp")
