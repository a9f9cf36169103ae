from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "congso.catalog"
    label = "catalog"
    verbose_name = "Danh mục thủ tục"

    def ready(self):
        from congso.core.figures import provide
        from congso.worktime.api import PROCESSING_TIMES

        from . import figures, page_cache
        from .services import get_processing_time

        PROCESSING_TIMES["lookup"] = get_processing_time
        provide("catalog", figures.provide)
        page_cache.connect()
