"""Invitation tokens are stored hashed, like API tokens. Links already sent keep working: each
plain token is replaced by its SHA-256, which is what the join page now looks up."""

import hashlib

from django.db import migrations, models


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_existing_tokens(apps, schema_editor):
    Invitation = apps.get_model("members", "Invitation")
    batch = []
    for invitation in Invitation.objects.only("pk", "token").iterator(chunk_size=2000):
        invitation.token_hash = hash_token(invitation.token)
        batch.append(invitation)
        if len(batch) == 2000:
            Invitation.objects.bulk_update(batch, ["token_hash"])
            batch = []
    Invitation.objects.bulk_update(batch, ["token_hash"])


class Migration(migrations.Migration):
    dependencies = [("members", "0008_invitation_person")]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        # Hashing cannot be undone: going back leaves the old links unusable.
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="invitation", name="token"),
        migrations.AlterField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
