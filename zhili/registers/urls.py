from django.urls import path

from zhili.registers import export_views, views

app_name = "registers"
urlpatterns = [
    path("registers/people/", views.person_list, name="people"),
    path("registers/people/<int:person_id>/", views.person_detail, name="person"),
    path("registers/people/export.xlsx", export_views.people_export, name="people_export"),
]
