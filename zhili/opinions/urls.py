from django.urls import path

from zhili.opinions import views

app_name = "opinions"
urlpatterns = [
    path("opinions/", views.opinion_list, name="list"),
    path("opinions/<str:number>/", views.opinion_detail, name="detail"),
    path("opinions/<str:number>/act/<str:action>/", views.opinion_action, name="act"),
]
