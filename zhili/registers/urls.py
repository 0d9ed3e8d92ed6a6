from django.urls import path

from zhili.registers import transfer, views

app_name = "registers"
urlpatterns = [
    path("registers/people/", views.person_list, name="people"),
    path("registers/people/<int:person_id>/", views.person_detail, name="person"),
    path("registers/people/import/", transfer.people_import, name="people_import"),
    path(
        "registers/people/import/template.xlsx",
        transfer.people_import_template,
        name="people_import_template",
    ),
    path("registers/people/export.xlsx", transfer.people_export, name="people_export"),
]
