from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery


def count_pauses(apps, schema_editor):
    """Existing cases: the number of pauses each already has (only cases that have any)."""
    TimedCase = apps.get_model("timelimits", "TimedCase")
    CasePause = apps.get_model("timelimits", "CasePause")
    counts = (CasePause.objects.filter(case=OuterRef("pk")).order_by().values("case")
              .annotate(n=Count("pk")).values("n"))
    TimedCase.objects.filter(pk__in=CasePause.objects.values("case")).update(pause_count=Subquery(counts))


class Migration(migrations.Migration):

    dependencies = [
        ('timelimits', '0004_monitor_covering_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='timedcase',
            name='pause_count',
            field=models.PositiveIntegerField(default=0, verbose_name='暂停次数'),
        ),
        migrations.RunPython(count_pauses, migrations.RunPython.noop, elidable=True),
    ]
