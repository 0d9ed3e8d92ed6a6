from django.urls import path

from zhili.registers import views

app_name = "registers"
urlpatterns = [
    path("registers/people/", views.person_list, name="people"),
    path("registers/people/<int:person_id>/", views.person_detail, name="person"),
]
