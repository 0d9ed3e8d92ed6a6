from django.urls import path

from zhili.web import calendar, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/", calendar.calendar_index, name="calendar"),
    path("calendar/<int:year>/", calendar.calendar_year, name="calendar_year"),
]
