from django.urls import path

from zhili.orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.tree, name="tree"),
    path("grids/map/", views.grid_map, name="grid_map"),
    path("people/", views.people, name="people"),
]
