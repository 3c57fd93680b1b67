"""Tombstones: what the API served and was deleted, for the changes feed."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Tombstone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('resource', models.CharField(max_length=40, verbose_name='resource')),
                ('object_id', models.CharField(max_length=200, verbose_name='object')),
                ('deleted_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='deleted')),
                ('audience', models.CharField(choices=[('public', 'Everyone'), ('members', 'Members of the network'), ('private', 'Network admins and the owner')], max_length=8, verbose_name='who may see it')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'tombstone',
                'verbose_name_plural': 'tombstones',
                'ordering': ['deleted_at', 'id'],
                'indexes': [models.Index(fields=['resource', 'deleted_at'], name='sync_tombst_resourc_855ab0_idx')],
            },
        ),
    ]
