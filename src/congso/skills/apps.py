from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "congso.skills"
    label = "skills"
    verbose_name = "Kỹ năng số"
