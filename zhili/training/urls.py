from django.urls import path

from zhili.training import views

app_name = "training"

urlpatterns = [
    path("training/", views.course_list, name="list"),
    path("training/<str:number>/", views.course_page, name="detail"),
    path("training/<str:number>/act/<str:action>/", views.course_action, name="act"),
    path("training/<str:number>/edit/", views.course_edit, name="edit"),
    path("training/<str:number>/lessons/new/<str:kind>/", views.lesson_add, name="lesson_add"),
    path("training/<str:number>/completion.xlsx", views.completion_xlsx, name="completion_xlsx"),
    path("training/<str:number>/<int:order>/", views.lesson_page, name="lesson"),
    path("training/<str:number>/<int:order>/video", views.lesson_video, name="video"),
    path("training/<str:number>/<int:order>/quiz/", views.quiz_submit, name="quiz"),
    path("training/<str:number>/<int:order>/questions/", views.question_add, name="question_add"),
    path(
        "training/<str:number>/<int:order>/questions/<int:pk>/remove/",
        views.question_remove,
        name="question_remove",
    ),
]
