"""Forum views: parse the request, call a selector or service, render. No ORM writes here."""
