from django.urls import path

from zhili.cases.views import detail, duplicates, figures, intake, lists, map, printing, queues

app_name = "cases"
# Fixed words and underscored paths come before <case_no>, which never starts with "_".
urlpatterns = [
    path("cases/", lists.case_list, name="list"),
    path("cases/_total/", lists.case_total, name="list_total"),
    path("cases/new/", intake.intake, name="intake"),
    path("cases/_categories/", intake.category_options, name="category_options"),
    path("cases/_preview/", intake.routing_preview, name="routing_preview"),
    path("cases/_place/", intake.address_place, name="address_place"),
    path("cases/workbench/", queues.workbench, name="workbench"),
    path("cases/workbench/_tabs/", queues.workbench_tabs, name="workbench_tabs"),
    path("cases/workbench/_bulk/", queues.bulk_dispatch, name="bulk_dispatch"),
    path("cases/inbox/", queues.inbox, name="inbox"),
    path("cases/inbox/_tabs/", queues.inbox_tabs, name="inbox_tabs"),
    path("cases/follow-up/", queues.follow_up, name="follow_up"),
    path("cases/follow-up/_tabs/", queues.follow_up_tabs, name="follow_up_tabs"),
    path("cases/figures/", figures.figures_page, name="figures"),
    path("cases/figures/export.xlsx", figures.figures_export, name="figures_export"),
    path("cases/map/", map.case_map, name="map"),
    path("cases/map/_points/", map.map_points, name="map_points"),
    path("cases/_duplicates/<int:pk>/<str:decision>/", duplicates.decide, name="duplicate_decide"),
    path("cases/<str:case_no>/", detail.detail, name="detail"),
    path("cases/<str:case_no>/act/<str:action>/", detail.case_action, name="act"),
    path("cases/<str:case_no>/_reveal/", detail.reveal_phone, name="reveal_phone"),
    path("cases/<str:case_no>/print/", printing.case_form, name="print_form"),
    path("cases/<str:case_no>/receipt/", printing.case_receipt, name="print_receipt"),
    path("cases/<str:case_no>/attachments/<int:pk>/", detail.attachment, name="attachment"),
]
