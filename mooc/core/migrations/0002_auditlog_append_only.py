"""On PostgreSQL the database itself refuses to change or delete audit entries,
so not even a raw query or a bug in a later migration can rewrite history."""

from __future__ import annotations

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    -- The one change allowed: ON DELETE SET NULL when the actor's account (or a
    -- content type) is removed; the actor's name stays in actor_label.
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(NEW) - 'actor_id' - 'target_type_id')
           = (to_jsonb(OLD) - 'actor_id' - 'target_type_id')
       AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
       AND (NEW.target_type_id IS NULL OR NEW.target_type_id = OLD.target_type_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit log entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditlog_no_update_delete
    BEFORE UPDATE OR DELETE ON core_auditlog
    FOR EACH ROW EXECUTE FUNCTION core_auditlog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditlog_no_update_delete ON core_auditlog;
DROP FUNCTION IF EXISTS core_auditlog_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
