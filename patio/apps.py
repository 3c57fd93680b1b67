from django.apps import AppConfig


class PatioConfig(AppConfig):
    name = "patio"
    verbose_name = "Patio"

    def ready(self) -> None:
        from celery.signals import task_postrun
        from django.db.backends.signals import connection_created

        from patio import metrics, security_signals
        from patio.db import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="patio-sqlite-functions")
        security_signals.connect()
        # Registers the outbox backlog's /healthz check and /metrics figures.
        import patio.outbox  # noqa: F401

        # Counted where the task ran (the worker), read by /metrics from the broker.
        task_postrun.connect(metrics.task_count, dispatch_uid="patio-task-count")
