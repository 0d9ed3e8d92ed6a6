from django.urls import path

from zhili.intercom import views

app_name = "intercom"
urlpatterns = [
    path("intercom/", views.desk, name="desk"),
]
