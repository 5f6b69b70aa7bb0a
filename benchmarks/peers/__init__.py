"""The two Django forum peers, django-spirit and django-machina, set up from PyPI.

``spirit_site/`` and ``machina_site/`` are minimal Django projects (settings as each project's
own documentation recommends, with the suite's shared choices: DEBUG off, SQLite in
``var/peers/<peer>/``, ``PASSWORD_HASHER``). ``benchmarks.peer_setup`` copies one into
``var/peers/<peer>/project/``, creates the peer's virtualenv there with pip, migrates and seeds
it from the exported thread (``benchmarks.content``). The peers' code is never in this
repository: only these settings and seeders are.
"""

PASSWORD_HASHER = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
PEER_PACKAGES = {
    "spirit": ["django-spirit==0.14.3", "gunicorn"],
    "machina": ["django-machina==1.3.1", "gunicorn"],
}
