from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "fairhearing.worker"
    label = "worker"
    verbose_name = "Background work"

    def ready(self) -> None:
        from fairhearing.operations.metrics import database_gauge_register

        from .queries import queue_depth, queue_lag_seconds, workers_alive_count

        database_gauge_register(
            "fairhearing_worker_queue_depth",
            documentation="Background tasks ready to run, not yet taken by a worker.",
            read=lambda now, cap: queue_depth(cap=cap),
        )
        database_gauge_register(
            "fairhearing_worker_queue_lag_seconds",
            documentation="How long the oldest task ready to run has waited (0: none waits).",
            read=lambda now, cap: queue_lag_seconds(now=now),
        )
        database_gauge_register(
            "fairhearing_workers_alive",
            documentation="Background workers whose heartbeat is within a lease.",
            read=lambda now, cap: workers_alive_count(now=now),
        )
