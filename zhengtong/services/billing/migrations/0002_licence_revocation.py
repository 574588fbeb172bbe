"""Licences can be revoked (注销/撤销) with a reason and a legal basis."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='license',
            name='revoke_basis',
            field=models.TextField(blank=True, verbose_name='注销依据'),
        ),
        migrations.AddField(
            model_name='license',
            name='revoke_reason',
            field=models.TextField(blank=True, verbose_name='注销理由'),
        ),
        migrations.AddField(
            model_name='license',
            name='revoked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='注销时间'),
        ),
        migrations.AddField(
            model_name='license',
            name='revoked_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='注销人'),
        ),
        migrations.AddConstraint(
            model_name='license',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'revoked'), _negated=True), models.Q(('revoked_at__isnull', False), models.Q(('revoke_reason', ''), _negated=True), models.Q(('revoke_basis', ''), _negated=True)), _connector='OR'), name='billing_revoked_has_reason_and_basis'),
        ),
    ]
