from django.urls import path

from zhili.orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.tree, name="tree"),
    # Before orgs/<code>/: a unit coded "boundaries" would otherwise take the page.
    path("orgs/boundaries/", views.boundaries, name="boundaries"),
    # Underscored paths cannot clash with unit codes (letters, digits and hyphens only).
    path("orgs/_children/", views.tree_children, name="tree_children"),
    path("orgs/_search/", views.tree_search, name="tree_search"),
    path("orgs/<str:code>/", views.org_detail, name="detail"),
    path("grids/map/", views.grid_map, name="grid_map"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/_organizations/", views.organization_options, name="organization_options"),
]
