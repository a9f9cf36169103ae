from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "congso.catalog"
    label = "catalog"
    verbose_name = "Danh mục thủ tục"
