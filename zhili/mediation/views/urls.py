"""Pages of the mediation dossiers."""

from django.urls import path

from zhili.mediation.views import boards, detail, lists, manage, mediators

urlpatterns = [
    path("mediation/", lists.dispute_list, name="list"),
    path("mediation/register/", lists.register, name="register"),
    path("mediation/from-case/<str:case_no>/", lists.from_case, name="from_case"),
    path("mediation/disputes/<str:number>/", detail.dispute_detail, name="detail"),
    path("mediation/disputes/<str:number>/act/<str:action>/", detail.dispute_action, name="act"),
    path(
        "mediation/disputes/<str:number>/parties/<int:party>/reveal/<str:field>/",
        detail.reveal,
        name="reveal",
    ),
    path("mediation/disputes/<str:number>/agreement.docx", detail.agreement_docx, name="agreement"),
    path(
        "mediation/disputes/<str:number>/agreement/print/",
        detail.agreement_print_page,
        name="agreement_print",
    ),
    path("mediation/confirmations/", boards.confirmations, name="confirmations"),
    path("mediation/committees/", boards.committees, name="committees"),
    path("mediation/committees/<int:pk>/", boards.committee_detail, name="committee"),
    path("mediation/alerts/", boards.alerts, name="alerts"),
    path("mediation/alerts/<int:pk>/ack/", boards.alert_acknowledge, name="alert_ack"),
]

urlpatterns += [
    path("mediation/committees/new/", manage.committee_new, name="committee_new"),
    path(
        "mediation/committees/<int:pk>/forms/<str:name>/",
        manage.committee_form,
        name="committee_form",
    ),
    path("mediation/committees/<int:pk>/active/", manage.committee_active, name="committee_active"),
    path("mediation/mediators/<int:pk>/active/", manage.mediator_active, name="mediator_active"),
    path("mediation/mediators/<int:pk>/", mediators.mediator_detail, name="mediator"),
    path(
        "mediation/mediators/<int:pk>/training/",
        mediators.mediator_training,
        name="mediator_training",
    ),
    path("mediation/rooms/<int:pk>/active/", manage.room_active, name="room_active"),
    path("mediation/members/<int:pk>/leave/", manage.member_leave, name="member_leave"),
]
