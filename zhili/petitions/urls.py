from django.urls import path

from zhili.petitions import views

app_name = "petitions"
urlpatterns = [
    path("petitions/", views.petition_list, name="list"),
    path("petitions/register/", views.register, name="register"),
    path("petitions/from-case/<str:case_no>/", views.from_case, name="from_case"),
    path("petitions/key-petitioners/", views.key_petitioners, name="key_petitioners"),
    path("petitions/key-petitioners/<int:pk>/", views.key_petitioner, name="key_petitioner"),
    path("petitions/<str:number>/", views.petition_detail, name="detail"),
    path("petitions/<str:number>/act/<str:action>/", views.petition_action, name="act"),
    path("petitions/<str:number>/document/<str:kind>/", views.petition_document, name="document"),
    path("petitions/<str:number>/print/<str:kind>/", views.petition_print, name="print"),
    path(
        "petitions/<str:number>/reveal/<int:petitioner_id>/<str:field>/",
        views.reveal,
        name="reveal",
    ),
    path(
        "petitions/<str:number>/key/<int:petitioner_id>/",
        views.key_petitioner_add,
        name="key_add",
    ),
]
