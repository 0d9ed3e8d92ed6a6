from django.urls import path

from zhili.integrations import views

app_name = "integrations"
urlpatterns = [
    path("integrations/keys/", views.keys, name="keys"),
    path("integrations/keys/<int:pk>/revoke/", views.revoke, name="revoke"),
]
