from django.urls import path

from zhili.supervision import views

app_name = "supervision"
urlpatterns = [
    path("supervision/", views.order_list, name="list"),
    path("supervision/export.xlsx", views.order_export_xlsx, name="export"),
    path("supervision/<str:number>/", views.order_detail, name="detail"),
    path("supervision/<str:number>/act/<str:action>/", views.order_action, name="act"),
    path("supervision/<str:number>/document/", views.order_document, name="document"),
    path("supervision/<str:number>/print/", views.order_print_page, name="print"),
]
