from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "congso.portal"
    label = "portal"
    verbose_name = "Cổng dịch vụ công"

    def ready(self):
        from congso.onestop import reuse
        from congso.onestop.signals import dossier_changed

        from .services import desk_offers, desk_stored_file, on_dossier_changed

        dossier_changed.connect(on_dossier_changed, dispatch_uid="portal.datastore")
        reuse.provide("store", desk_offers, desk_stored_file)  # the signed results, at the desk
