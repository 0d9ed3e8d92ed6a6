from django.contrib import admin

from zhili.forces.models import Force, Team, TeamType


@admin.register(TeamType)
class TeamTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "speed_kmh")
    search_fields = ("code", "name")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "team_type", "organization")
    list_filter = ("team_type",)
    search_fields = ("code", "name")
    autocomplete_fields = ("organization",)


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "team", "status", "status_at", "position_at")
    list_filter = ("status", "team__team_type")
    search_fields = ("code", "name")
    autocomplete_fields = ("team", "user")
    readonly_fields = ("status", "status_at", "lat", "lng", "accuracy_m", "position_at")
