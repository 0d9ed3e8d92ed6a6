"""The appointment's number (预约编号, its tracking code): the existing appointments numbered in
the order they were booked, per local year, and the counter set past them."""

from django.db import migrations, models
from django.utils import timezone


def number_existing(apps, schema_editor):
    Appointment = apps.get_model("receptions", "Appointment")
    NumberCounter = apps.get_model("core", "NumberCounter")
    last: dict[int, int] = {}
    for row in Appointment.objects.filter(number=None).order_by("booked_at", "id"):
        year = timezone.localdate(row.booked_at).year
        counter, _ = NumberCounter.objects.get_or_create(
            series="appointment", period=str(year), defaults={"last": 0}
        )
        last[year] = max(last.get(year, counter.last), counter.last) + 1
        Appointment.objects.filter(pk=row.pk).update(number=f"JF{year}-{last[year]:06d}")
        NumberCounter.objects.filter(pk=counter.pk).update(last=last[year])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_number_counter"),
        ("receptions", "0004_video_reception_booking"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="number",
            field=models.CharField(
                blank=True, max_length=20, null=True, unique=True, verbose_name="预约编号"
            ),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
    ]
