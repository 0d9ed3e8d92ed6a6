from django.urls import path

from zhili.assessment import award_views, manual_views, record_views, views

app_name = "assessment"
urlpatterns = [
    path("assessment/", views.index, name="index"),
    path("assessment/<int:year>/scheme/", views.scheme, name="scheme"),
    path("assessment/<int:year>/vetoes/", views.vetoes, name="vetoes"),
    path("assessment/<int:year>/vetoes/<int:pk>/review/", views.veto_review, name="veto_review"),
    path("assessment/<int:year>/grades/", views.grades_issue, name="grades_issue"),
    path("assessment/<int:year>/awards/", award_views.award_list, name="awards"),
    path("assessment/<int:year>/awards/<slug:step>/", award_views.award_act, name="award_act"),
    path("assessment/<int:year>/surveys/", manual_views.surveys, name="surveys"),
    path("assessment/surveys/<int:pk>/file/", manual_views.survey_file, name="survey_file"),
    path("assessment/evidence/<int:pk>/", manual_views.evidence, name="evidence"),
    path("assessment/<int:year>/<str:period>/", views.scores, name="scores"),
    path("assessment/<int:year>/<str:period>/compute/", views.compute, name="compute"),
    path("assessment/<int:year>/<str:period>/entries/", views.entries, name="entries"),
    path(
        "assessment/<int:year>/<str:period>/data-quality/",
        views.data_quality,
        name="data_quality",
    ),
    path(
        "assessment/<int:year>/<str:period>/records/<slug:metric>/",
        record_views.records,
        name="records",
    ),
    path("assessment/<int:year>/<str:period>/score/", manual_views.score_enter, name="score_enter"),
    path("assessment/<int:year>/<str:period>/bulletin.docx", views.bulletin, name="bulletin"),
    path(
        "assessment/<int:year>/<str:period>/bulletin/", views.bulletin_issue, name="bulletin_issue"
    ),
]
