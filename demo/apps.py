from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development tools: demo seeding (``seed_demo``) and synthetic volume (``seed_bulk``).

    The top of the layers: it may import every app and no app imports it. Development and
    test settings install it; production settings do not, so none of its commands exist
    there and no published demo password can reach a public site.
    """

    name = "demo"
    verbose_name = "Demo and benchmark data"
