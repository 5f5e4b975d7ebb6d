"""The clock index holds rows for the commitments that apply to a case: the rows of
those that do not apply go (the case page works them out from events when it shows
them; docs/decisions/0014-clock-rows-for-promises-that-apply.md)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_queue_order_index"),
    ]

    operations = [
        migrations.RunSQL(
            "DELETE FROM cases_clock WHERE state = 'not_applicable'",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
