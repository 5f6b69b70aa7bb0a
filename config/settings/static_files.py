"""Static files served by WhiteNoise from the app servers, hashed and compressed: production's
choice, and the benchmark suite's because it measures production's choices."""

WHITENOISE_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def with_whitenoise(middleware: list[str]) -> list[str]:
    """``middleware`` with WhiteNoise right after SecurityMiddleware, as WhiteNoise requires."""
    position = middleware.index("django.middleware.security.SecurityMiddleware") + 1
    return [
        *middleware[:position],
        "whitenoise.middleware.WhiteNoiseMiddleware",
        *middleware[position:],
    ]
