"""The database itself refuses to change or delete a ledger entry: corrections are new entries."""

from django.db import migrations

from patio.migration_ops import PostgresRunSQL

FORBID = """
CREATE FUNCTION fund_ledger_entry_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are immutable: record a reversing entry instead'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER fund_ledger_entry_no_update_or_delete
    BEFORE UPDATE OR DELETE ON fund_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION fund_ledger_entry_immutable();
"""

ALLOW = """
DROP TRIGGER IF EXISTS fund_ledger_entry_no_update_or_delete ON fund_ledgerentry;
DROP FUNCTION IF EXISTS fund_ledger_entry_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_initial")]

    operations = [PostgresRunSQL(FORBID, ALLOW)]
