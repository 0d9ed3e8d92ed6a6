from django.contrib import admin

from zhili.receptions.models import Appointment, Ownership, Reception, RotaDay


@admin.register(RotaDay)
class RotaDayAdmin(admin.ModelAdmin):
    list_display = ["date", "organization", "leader", "place", "starts_at", "ends_at", "slots"]
    list_filter = ["organization__level"]
    date_hierarchy = "date"
    raw_id_fields = ["organization", "leader", "created_by"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["rota_day", "slot_time", "visitor_name", "subject", "state"]
    list_filter = ["state"]
    raw_id_fields = ["rota_day", "petition", "booked_by", "petitioners"]


@admin.register(Reception)
class ReceptionAdmin(admin.ModelAdmin):
    list_display = ["received_at", "leader", "organization", "mode", "visitor_name"]
    list_filter = ["mode"]
    raw_id_fields = [
        "appointment",
        "rota_day",
        "leader",
        "organization",
        "petition",
        "assigned_unit",
        "recorded_by",
        "departments",
        "staff",
        "petitioners",
    ]


@admin.register(Ownership)
class OwnershipAdmin(admin.ModelAdmin):
    list_display = ["petition", "leader", "since", "target_date", "state"]
    list_filter = ["state"]
    raw_id_fields = ["leader", "petition", "created_by"]
