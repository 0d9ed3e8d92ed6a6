from django.urls import path

from zhili.cases import views

app_name = "cases"
# Fixed words and underscored paths come before <case_no>, which never starts with "_".
urlpatterns = [
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.intake, name="intake"),
    path("cases/_categories/", views.category_options, name="category_options"),
    path("cases/_preview/", views.routing_preview, name="routing_preview"),
    path("cases/workbench/", views.workbench, name="workbench"),
    path("cases/workbench/_tabs/", views.workbench_tabs, name="workbench_tabs"),
    path("cases/workbench/_bulk/", views.bulk_dispatch, name="bulk_dispatch"),
    path("cases/inbox/", views.inbox, name="inbox"),
    path("cases/inbox/_tabs/", views.inbox_tabs, name="inbox_tabs"),
    path("cases/follow-up/", views.follow_up, name="follow_up"),
    path("cases/follow-up/_tabs/", views.follow_up_tabs, name="follow_up_tabs"),
    path("cases/map/", views.case_map, name="map"),
    path("cases/map/_points/", views.map_points, name="map_points"),
    path("cases/<str:case_no>/", views.detail, name="detail"),
    path("cases/<str:case_no>/act/<str:action>/", views.case_action, name="act"),
    path("cases/<str:case_no>/_reveal/", views.reveal_phone, name="reveal_phone"),
    path("cases/<str:case_no>/attachments/<int:pk>/", views.attachment, name="attachment"),
]
