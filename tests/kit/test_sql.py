"""``any_of``: one array parameter on PostgreSQL, an IN list elsewhere; the same rows."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.sql import any_of
from service.models.programmes import Programme
from service.models.reference import Region

REGION: sa.Table = Region.__table__  # type: ignore[attr-defined]
PROGRAMME: sa.Table = Programme.__table__  # type: ignore[attr-defined]


async def test_any_of_finds_exactly_the_values_given(session: AsyncSession) -> None:
    codes = set((await session.exec(sa.select(REGION.c.code))).scalars())
    assert len(codes) > 3
    wanted = sorted(codes)[:3]
    for values in (wanted, wanted[:1], [*wanted, "KZ-NONE"], []):
        statement = sa.select(REGION.c.code).where(any_of(REGION.c.code, values))
        found = set((await session.exec(statement)).scalars())
        assert found == set(values) & codes


async def test_any_of_finds_exactly_the_ids_given(session: AsyncSession) -> None:
    ids = set((await session.exec(sa.select(PROGRAMME.c.id))).scalars())
    assert len(ids) > 1
    wanted = sorted(ids)[:2]
    gapless = list(range(min(ids), max(ids) + 2))  # the range form, one past the last id
    for values in (wanted, wanted[:1], [*wanted, max(ids) + 1, -1], [], gapless, [-1, -1, 0]):
        statement = sa.select(PROGRAMME.c.id).where(any_of(PROGRAMME.c.id, values))
        found = set((await session.exec(statement)).scalars())
        assert found == set(values) & ids


def test_ids_with_no_gap_are_the_range_they_span() -> None:
    """A batch of new graduates' ids: one range scan, not a probe per id."""
    for values in ([5, 3, 4], [7]):
        compiled = str(sa.select(PROGRAMME.c.id).where(any_of(PROGRAMME.c.id, values)))
        assert "BETWEEN" in compiled
        assert "ANY" not in compiled
        assert "IN" not in compiled.replace("INTEGER", "")
    for values in ([3, 5], [3, 3, 4], [True, False]):
        on_postgresql = str(
            sa.select(PROGRAMME.c.id)
            .where(any_of(PROGRAMME.c.id, values))
            .compile(dialect=postgresql.dialect())
        )
        assert "BETWEEN" not in on_postgresql
        assert "= ANY (" in on_postgresql


def test_any_of_is_one_parameter_on_postgresql_and_a_list_elsewhere() -> None:
    statement = sa.select(REGION.c.code).where(any_of(REGION.c.code, ["KZ-59", "KZ-55"]))
    on_postgresql = str(statement.compile(dialect=postgresql.dialect()))
    assert "= ANY (" in on_postgresql
    assert "IN" not in on_postgresql
    on_sqlite = statement.compile(
        dialect=sqlite.dialect(), compile_kwargs={"render_postcompile": True}
    )
    assert "IN (?, ?)" in str(on_sqlite)


def test_any_of_is_a_condition_sqlite_can_search_an_index_by() -> None:
    engine = sa.create_engine("sqlite://")
    metadata = sa.MetaData()
    table = sa.Table(
        "t",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("iin", sa.String(12)),
    )
    sa.Index("ix_t_iin", table.c.iin)
    with engine.begin() as connection:
        metadata.create_all(connection)
        statement = sa.select(table.c.id).where(any_of(table.c.iin, ["1", "2"]))
        compiled = statement.compile(connection, compile_kwargs={"literal_binds": True})
        assert "= 1" not in str(compiled)
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
        assert "USING" in " ".join(str(r[-1]) for r in plan), plan


def test_a_string_array_has_no_length_on_postgresql() -> None:
    """A cast to varchar(12)[] would cut a 13-character value down to a stored one."""
    statement = sa.select(REGION.c.code).where(any_of(REGION.c.code, ["KZ-591234567"]))
    on_postgresql = str(statement.compile(dialect=postgresql.dialect()))
    assert "VARCHAR[]" in on_postgresql
    assert "VARCHAR(" not in on_postgresql
