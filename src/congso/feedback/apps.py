from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "congso.feedback"
    label = "feedback"
    verbose_name = "Đánh giá, phản ánh kiến nghị"
