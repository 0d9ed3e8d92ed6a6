from django.urls import path

from zhili.integrations import views

app_name = "integrations"
urlpatterns = [
    path("integrations/keys/", views.keys, name="keys"),
    path("integrations/keys/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("integrations/push/", views.push_sources, name="push"),
    path("integrations/push/<int:pk>/rotate/", views.push_rotate, name="push_rotate"),
    path("integrations/callbacks/<int:pk>/resend/", views.callback_resend, name="callback_resend"),
    path("integrations/mappings/", views.mappings, name="mappings"),
    path("integrations/mappings/<int:pk>/", views.mapping_edit, name="mapping_edit"),
]
