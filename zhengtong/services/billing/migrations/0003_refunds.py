"""Refunds (退费) through the payment gateway: full refunds of bills and returned duplicate payments."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0002_licence_revocation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [

        migrations.CreateModel(
            name='Refund',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('case_closed', '办件撤回或不予许可，全额退费'), ('duplicate', '重复支付，原路退回')], max_length=12, verbose_name='退费类型')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='金额（元）')),
                ('reason', models.TextField(verbose_name='退费说明')),
                ('gateway', models.CharField(max_length=32, verbose_name='支付渠道')),
                ('gateway_ref', models.CharField(max_length=64, unique=True, verbose_name='退款流水号')),
                ('status', models.CharField(choices=[('pending', '退款处理中'), ('succeeded', '退款成功'), ('failed', '退款失败')], default='pending', max_length=10, verbose_name='状态')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='发起时间')),
                ('settled_at', models.DateTimeField(blank=True, null=True, verbose_name='回调时间')),
                ('raw_callback', models.JSONField(blank=True, null=True, verbose_name='回调原文')),
            ],
            options={
                'verbose_name': '退费记录',
                'verbose_name_plural': '退费记录',
                'ordering': ['-requested_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='bill',
            name='refunded_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='退费时间'),
        ),
        migrations.AlterField(
            model_name='payment',
            name='status',
            field=models.CharField(choices=[('pending', '待支付'), ('succeeded', '支付成功'), ('failed', '支付失败'), ('duplicate', '重复支付（待退款）'), ('refunded', '已退款')], default='pending', max_length=10, verbose_name='状态'),
        ),
        migrations.AddConstraint(
            model_name='bill',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'refunded'), _negated=True), ('refunded_at__isnull', False), _connector='OR'), name='billing_bill_refunded_has_time'),
        ),
        migrations.AddField(
            model_name='refund',
            name='bill',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='refunds', to='billing.bill', verbose_name='收费单'),
        ),
        migrations.AddField(
            model_name='refund',
            name='payment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='refunds', to='billing.payment', verbose_name='原支付记录'),
        ),
        migrations.AddField(
            model_name='refund',
            name='requested_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人'),
        ),
        migrations.AddConstraint(
            model_name='refund',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='billing_refund_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='refund',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'failed'), _negated=True), fields=('payment',), name='billing_one_live_refund_per_payment'),
        ),
    ]
