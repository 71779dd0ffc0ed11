from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks: `bench_data` (synthetic data at scale) and `bench_pages` (what `make bench` measures).

    Management commands only: no models, no URLs in the service.
    """

    name = "bench"
    verbose_name = "Benchmarks"
