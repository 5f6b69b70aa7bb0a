"""Every change of forum state goes through a service in this package.

Services are keyword-only, typed and atomic; they check permissions themselves and raise
``forum.services.errors.PermissionDenied`` or ``ValidationError``, which views translate into
403 pages or form errors.
"""
