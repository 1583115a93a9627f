from django.db import migrations, models



def add_triggers(apps, schema_editor):
    # Append-only in the database itself: see keguan.audit.triggers.
    from keguan.audit import triggers

    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(unique=True, verbose_name="sequence")),
                ("at", models.DateTimeField(db_index=True, verbose_name="time")),
                ("actor_id", models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name="actor id")),
                ("actor_username", models.CharField(blank=True, max_length=150, verbose_name="actor")),
                ("roles", models.CharField(blank=True, max_length=200, verbose_name="roles")),
                ("client_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="client address")),
                ("action", models.CharField(db_index=True, max_length=80, verbose_name="action")),
                ("object_type", models.CharField(blank=True, db_index=True, max_length=80, verbose_name="object type")),
                ("object_id", models.CharField(blank=True, max_length=64, verbose_name="object id")),
                ("result", models.CharField(choices=[("ok", "Succeeded"), ("denied", "Denied"), ("failed", "Failed")], max_length=10, verbose_name="result")),
                ("before", models.JSONField(blank=True, null=True, verbose_name="before")),
                ("after", models.JSONField(blank=True, null=True, verbose_name="after")),
                ("prev_hash", models.CharField(max_length=64, verbose_name="previous hash")),
                ("hash", models.CharField(max_length=64, verbose_name="hash")),
            ],
            options={
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
                "ordering": ["-seq"],
                "indexes": [models.Index(fields=["object_type", "object_id"], name="audit_audit_object__0e78a5_idx")],
            },
        ),
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(default="0000000000000000000000000000000000000000000000000000000000000000", max_length=64)),
            ],
        ),
        migrations.RunPython(add_triggers, migrations.RunPython.noop),
    ]
