from django.urls import path

from . import mailbox_views, page_views, signing_views, views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.create, name="create"),
    path("register/", views.register, name="register"),
    path("mail/", mailbox_views.mail_list, name="mail"),
    path("mail/<int:pk>/register/", mailbox_views.mail_register, name="mail_register"),
    path("mail/<int:pk>/dismiss/", mailbox_views.mail_dismiss, name="mail_dismiss"),
    path("mail/<int:pk>/eml/", mailbox_views.mail_eml, name="mail_eml"),
    path("mailbox/<int:unit>/", mailbox_views.mailbox_settings, name="mailbox"),
    path("registers/", views.register_page, name="registers"),
    path("work-files/", views.work_files, name="work_files"),
    path("work-files/<int:pk>/metadata/", views.work_file_metadata, name="work_file_metadata"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/sign/", signing_views.start, name="sign_start"),
    path("<int:pk>/sign/<int:pending>/complete/", signing_views.complete, name="sign_complete"),
    path("<int:pk>/sign/<int:pending>/status/", signing_views.status, name="sign_status"),
    path("<int:pk>/versions/", views.add_version, name="add_version"),
    path("<int:pk>/comments/", views.comment, name="comment"),
    path("<int:pk>/file-into/", views.file_into, name="file_into"),
    path("<int:pk>/metadata/", views.document_metadata, name="metadata"),
    path("<int:pk>/files/<int:number>/", views.download, name="file"),
    path(
        "<int:pk>/files/<int:number>/pages/<int:page>.png",
        page_views.page_image,
        name="page_image",
    ),
    path("<int:pk>/copies/", views.copies, name="copies"),
    path("<int:pk>/copies/<int:copy>/", views.copy_file, name="copy_file"),
    path("<int:pk>/packages/<int:recipient>/", views.package, name="package"),
    path("<int:pk>/statuses/", views.import_status, name="import_status"),
]
