"""A second supplement request waits for a department head or a supervisor (label only)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0003_special_step_limits'),
    ]

    operations = [
        migrations.AlterField(
            model_name='supplementrequest',
            name='status',
            field=models.CharField(choices=[('awaiting_approval', '待批准（部门负责人或监察人员）'), ('open', '待申请人补正'), ('answered', '已补正'), ('rejected', '未获批准')], default='open', max_length=20, verbose_name='状态'),
        ),
    ]
