from django.apps import AppConfig


class PatioConfig(AppConfig):
    name = "patio"
    verbose_name = "Patio"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from patio import security_signals
        from patio.db import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="patio-sqlite-functions")
        security_signals.connect()
