from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "congso.ops"
    label = "ops"
    verbose_name = "Vận hành"

    def ready(self):
        from . import checks, logs, metrics  # noqa: F401 - checks and task signals register

        metrics.count_dossiers()
        logs.start_error_reporting()
