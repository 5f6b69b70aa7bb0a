"""Every change of forum state goes through a service in this package.

Services are keyword-only, typed and atomic; they check permissions themselves and raise
Django's ``PermissionDenied`` or ``ValidationError`` (keyed by field name when one field's input
is at fault), which views turn into form errors or responses with ``service_responses``.
"""
