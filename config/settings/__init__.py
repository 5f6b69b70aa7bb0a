"""Settings package: ``base`` holds what every environment shares; ``dev``, ``test`` and
``production`` adjust it. Every value that differs between machines comes from the
environment (see ``environment.py`` and the README's configuration table)."""
