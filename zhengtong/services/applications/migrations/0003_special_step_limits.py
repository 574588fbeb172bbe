"""Special steps record the guide's step (name, maximum days, basis), their latest end, the
clocks they paused and when an overrun was warned."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0002_return_status'),
        ('timelimits', '0003_monitor_indexes'),
    ]

    operations = [

        migrations.AddField(
            model_name='specialstep',
            name='basis',
            field=models.TextField(blank=True, verbose_name='设定依据'),
        ),
        migrations.AddField(
            model_name='specialstep',
            name='max_days',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='最长时限（工作日）'),
        ),
        migrations.AddField(
            model_name='specialstep',
            name='name',
            field=models.CharField(blank=True, max_length=100, verbose_name='事项所列环节'),
        ),
        migrations.AddField(
            model_name='specialstep',
            name='overrun_warned_on',
            field=models.DateField(blank=True, null=True, verbose_name='超期提醒日'),
        ),
        migrations.AddField(
            model_name='specialstep',
            name='paused_clocks',
            field=models.ManyToManyField(blank=True, related_name='+', to='timelimits.timedcase', verbose_name='暂停的时限'),
        ),
        migrations.AddField(
            model_name='specialstep',
            name='planned_end_on',
            field=models.DateField(blank=True, null=True, verbose_name='最迟结束日'),
        ),
        migrations.AddConstraint(
            model_name='specialstep',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('ended_on__gte', models.F('started_on')), _connector='OR'), name='applications_special_step_ends_after_start'),
        ),
    ]
