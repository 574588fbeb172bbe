from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'citizen'), models.Q(('mobile', ''), _negated=True)), fields=('mobile',), name='accounts_user_unique_citizen_mobile'),
        ),
    ]
