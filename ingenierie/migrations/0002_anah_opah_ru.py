"""The database's half of the Anah rule: a post's Anah share must name an OPAH-RU action in
pre-operational or operational phase. A CHECK cannot read another table, so a trigger does,
when the share or the action it names is written (a later phase of the OPAH-RU does not undo
a share granted while it ran). PostgreSQL and SQLite, the two databases of the portal."""

from django.db import migrations

ELIGIBLE = """
    SELECT 1 FROM financements_action a
    WHERE a.id = NEW.opah_ru_id AND a.type = 'opah_ru'
      AND a.etat IN ('pre_operationnelle', 'operationnelle')
"""
MESSAGE = "poste_anah_opah_ru_eligible: la part de l’Anah suppose une OPAH-RU en phase pré-opérationnelle ou opérationnelle"

POSTGRESQL = [
    f"""
    CREATE FUNCTION ingenierie_poste_anah_opah_ru() RETURNS trigger AS $$
    BEGIN
        IF NEW.subvention_anah > 0 AND NOT EXISTS ({ELIGIBLE}) THEN
            RAISE EXCEPTION '{MESSAGE.replace("'", "''")}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER poste_anah_opah_ru_insert BEFORE INSERT ON ingenierie_postechefdeprojet
    FOR EACH ROW EXECUTE FUNCTION ingenierie_poste_anah_opah_ru()
    """,
    """
    CREATE TRIGGER poste_anah_opah_ru_update BEFORE UPDATE ON ingenierie_postechefdeprojet
    FOR EACH ROW WHEN (
        NEW.subvention_anah IS DISTINCT FROM OLD.subvention_anah
        OR NEW.opah_ru_id IS DISTINCT FROM OLD.opah_ru_id
    ) EXECUTE FUNCTION ingenierie_poste_anah_opah_ru()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER poste_anah_opah_ru_update ON ingenierie_postechefdeprojet",
    "DROP TRIGGER poste_anah_opah_ru_insert ON ingenierie_postechefdeprojet",
    "DROP FUNCTION ingenierie_poste_anah_opah_ru()",
]

SQLITE = [
    f"""
    CREATE TRIGGER poste_anah_opah_ru_insert BEFORE INSERT ON ingenierie_postechefdeprojet
    WHEN NEW.subvention_anah > 0 AND NOT EXISTS ({ELIGIBLE})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER poste_anah_opah_ru_update BEFORE UPDATE ON ingenierie_postechefdeprojet
    WHEN (NEW.subvention_anah <> OLD.subvention_anah OR NEW.opah_ru_id IS NOT OLD.opah_ru_id)
        AND NEW.subvention_anah > 0 AND NOT EXISTS ({ELIGIBLE})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER poste_anah_opah_ru_update",
    "DROP TRIGGER poste_anah_opah_ru_insert",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("ingenierie", "0001_postes_soutiens_besoins"),
        ("financements", "0001_catalogue_actions_financements"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
