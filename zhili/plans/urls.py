from django.urls import path

from zhili.plans import views

app_name = "plans"
urlpatterns = [
    path("plans/", views.plan_index, name="index"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/projects/new/", views.project_new, name="project_new"),
    path("plans/<int:plan_id>/tasks/new/", views.task_new, name="task_new"),
    path("plans/tasks/", views.task_list, name="tasks"),
    path("plans/tasks/<str:number>/", views.task_detail, name="detail"),
    path("plans/tasks/<str:number>/act/<str:action>/", views.task_action, name="act"),
    path(
        "plans/tasks/<str:number>/milestones/<int:milestone>/",
        views.milestone_done,
        name="milestone",
    ),
    path("plans/progress/", views.progress_page, name="progress"),
    path("plans/progress/<str:number>/", views.progress_submit, name="report"),
    path("plans/progress/<str:number>/amend/", views.progress_amend, name="amend"),
    path("plans/meetings/", views.meeting_list, name="meetings"),
    path("plans/meetings/new/", views.meeting_new, name="meeting_new"),
    path("plans/meetings/<str:number>/", views.meeting_detail, name="meeting"),
]
