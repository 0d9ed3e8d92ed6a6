from django.urls import path

from zhili.registers import export_views, mention_views, records_views, views
from zhili.registers.places import PLACE_KINDS

app_name = "registers"
urlpatterns = [
    path("registers/people/", views.person_list, name="people"),
    path("registers/people/<int:person_id>/", views.person_detail, name="person"),
    path("registers/houses/", records_views.house_list, name="houses"),
    path("registers/houses/new/", records_views.house_new, name="house_new"),
    path("registers/houses/map/", records_views.house_map, name="house_map"),
    path("registers/houses/map/points/", records_views.house_points, name="house_points"),
    path("registers/houses/<int:house_id>/", records_views.house_detail, name="house"),
    path("registers/houses/<int:house_id>/edit/", records_views.house_edit, name="house_edit"),
    path("registers/people/export.xlsx", export_views.people_export, name="people_export"),
    path("registers/links/<str:code>/", mention_views.mention_find, name="mention_find"),
    path("registers/links/<str:code>/add/", mention_views.mention_add, name="mention_add"),
    path(
        "registers/links/<str:code>/<int:mention_id>/remove/",
        mention_views.mention_remove,
        name="mention_remove",
    ),
]
# The places' registers, one set of pages per kind (its slug as in /api/v1/<slug>).
# The list's name is per kind (the navigation reverses it without arguments).
for _kind, _spec in PLACE_KINDS.items():
    _kw = {"slug": _spec.slug}
    urlpatterns += [
        path(f"registers/{_spec.slug}/", records_views.place_list, _kw, name=f"places_{_kind}"),
        path(f"registers/{_spec.slug}/new/", records_views.place_new, _kw, name="place_new"),
        path(
            f"registers/{_spec.slug}/<int:place_id>/",
            records_views.place_detail,
            _kw,
            name="place",
        ),
        path(
            f"registers/{_spec.slug}/<int:place_id>/edit/",
            records_views.place_edit,
            _kw,
            name="place_edit",
        ),
    ]
