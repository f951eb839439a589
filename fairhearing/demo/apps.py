from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Fictional demo data and the benchmark data generator: the top edge. It may import any
    app; nothing but tests, benchmarks and management commands imports it."""

    name = "fairhearing.demo"
    label = "demo"
