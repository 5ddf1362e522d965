"""reference data: regions, programmes and their obligation rules

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 13:25:00

Regions: the 17 regions and 3 cities of republican significance with their ISO 3166-2:KZ
codes. Programmes and rules: docs/RULES.md gives each value's source; where sources
disagree the value is an assumption to be corrected through the API, never in code.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGIONS = [
    # code, kind, Kazakh, Russian, English
    ("KZ-10", "region", "Абай облысы", "Абайская область", "Abai Region"),
    ("KZ-11", "region", "Ақмола облысы", "Акмолинская область", "Akmola Region"),
    ("KZ-15", "region", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region"),
    ("KZ-19", "region", "Алматы облысы", "Алматинская область", "Almaty Region"),
    ("KZ-23", "region", "Атырау облысы", "Атырауская область", "Atyrau Region"),
    (
        "KZ-27",
        "region",
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        "West Kazakhstan Region",
    ),
    ("KZ-31", "region", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region"),
    ("KZ-33", "region", "Жетісу облысы", "Область Жетісу", "Zhetysu Region"),
    ("KZ-35", "region", "Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
    ("KZ-39", "region", "Қостанай облысы", "Костанайская область", "Kostanay Region"),
    ("KZ-43", "region", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region"),
    ("KZ-47", "region", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region"),
    ("KZ-55", "region", "Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    (
        "KZ-59",
        "region",
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        "North Kazakhstan Region",
    ),
    ("KZ-61", "region", "Түркістан облысы", "Туркестанская область", "Turkestan Region"),
    ("KZ-62", "region", "Ұлытау облысы", "Область Ұлытау", "Ulytau Region"),
    (
        "KZ-63",
        "region",
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        "East Kazakhstan Region",
    ),
    ("KZ-71", "city", "Астана", "Астана", "Astana"),
    ("KZ-75", "city", "Алматы", "Алматы", "Almaty"),
    ("KZ-79", "city", "Шымкент", "Шымкент", "Shymkent"),
]

# North, east and west host regions of Serpin over the years (RULES.md: the list changed by year).
SERPIN_HOST_REGIONS = [
    "KZ-59",
    "KZ-63",
    "KZ-10",
    "KZ-55",
    "KZ-39",
    "KZ-11",
    "KZ-35",
    "KZ-62",
    "KZ-27",
    "KZ-15",
    "KZ-23",
]
ALL_REGIONS = [code for code, *_ in REGIONS]

PROGRAMMES = [
    (
        1,
        "serpin",
        "Serpin",
        "Rural youth from labour-surplus southern regions study on a state grant in the north, "
        "east and west, then work there.",
    ),
    (
        2,
        "state_grant",
        "General state educational order",
        "The national state grant; graduates work off the grant where assigned.",
    ),
    (
        3,
        "bilikti_maman",
        "Bilikti Maman (East Kazakhstan regional grant)",
        "A regional grant of East Kazakhstan with a duty to work in the region.",
    ),
]

ORDER_403 = "Law on Education art. 47 p.17; Rules approved by Order No. 403 of 11.08.2023"
RULES = [
    # id, programme, cohort_from, cohort_to, months, rural_only, regions, source
    (
        1,
        1,
        2014,
        2022,
        36,
        False,
        SERPIN_HOST_REGIONS,
        f"{ORDER_403}; earlier Serpin cohorts owed 36 months (assumption, see docs/RULES.md)",
    ),
    (
        2,
        1,
        2023,
        None,
        24,
        False,
        SERPIN_HOST_REGIONS,
        f"{ORDER_403}: rural-youth quota, at least 24 months",
    ),
    (3, 2, 2014, None, 36, False, ALL_REGIONS, f"{ORDER_403}: state grant, at least 36 months"),
    (
        4,
        3,
        2019,
        None,
        36,
        False,
        ["KZ-63"],
        "Regional grant contract of East Kazakhstan (term assumed, see docs/RULES.md)",
    ),
]


def upgrade() -> None:
    region = sa.table(
        "region",
        sa.column("code"),
        sa.column("kind"),
        sa.column("name_kk"),
        sa.column("name_ru"),
        sa.column("name_en"),
    )
    programme = sa.table(
        "programme",
        sa.column("id"),
        sa.column("code"),
        sa.column("name"),
        sa.column("description"),
    )
    rule = sa.table(
        "obligation_rule",
        sa.column("id"),
        sa.column("programme_id"),
        sa.column("cohort_from"),
        sa.column("cohort_to"),
        sa.column("required_months"),
        sa.column("rural_only"),
        sa.column("start_deadline_month"),
        sa.column("start_deadline_day"),
        sa.column("prorate_partial_grant"),
        sa.column("source"),
    )
    rule_region = sa.table("obligation_rule_region", sa.column("rule_id"), sa.column("region_code"))

    op.bulk_insert(
        region,
        [
            dict(zip(("code", "kind", "name_kk", "name_ru", "name_en"), r, strict=True))
            for r in REGIONS
        ],
    )
    op.bulk_insert(
        programme, [{"id": i, "code": c, "name": n, "description": d} for i, c, n, d in PROGRAMMES]
    )
    op.bulk_insert(
        rule,
        [
            {
                "id": i,
                "programme_id": p,
                "cohort_from": f,
                "cohort_to": t,
                "required_months": m,
                "rural_only": rural,
                "start_deadline_month": 9,
                "start_deadline_day": 1,
                "prorate_partial_grant": True,
                "source": src,
            }
            for i, p, f, t, m, rural, _regions, src in RULES
        ],
    )
    op.bulk_insert(
        rule_region,
        [{"rule_id": i, "region_code": code} for i, *_, regions, _src in RULES for code in regions],
    )
    # Explicit ids above: move PostgreSQL's sequences past them so new rows do not collide.
    if op.get_bind().dialect.name == "postgresql":
        for table in ("programme", "obligation_rule"):
            op.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )


def downgrade() -> None:
    op.execute("DELETE FROM obligation_rule_region WHERE rule_id IN (1, 2, 3, 4)")
    op.execute("DELETE FROM obligation_rule WHERE id IN (1, 2, 3, 4)")
    op.execute("DELETE FROM programme WHERE id IN (1, 2, 3)")
    op.execute("DELETE FROM region")
