"""What each dataset holds, for a client that keeps a typed copy: its columns with their types,
its key, the feed entity that keeps it current, or that it must be taken whole again.

Records (students and what they own) and the reference data they point to (institutions,
employers, programmes) come through the change feed. Obligations and risk flags are
evaluations, rewritten as time passes without a change to any record, and regions are loaded
with the schema: neither is on the feed, so a copy refreshes them whole.
"""

from enum import StrEnum

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlmodel import SQLModel

from service.kit.i18n import gettext
from service.kit.text import N_
from service.monitoring.exports import SOURCES, Dataset


class ColumnType(StrEnum):
    integer = "integer"
    text = "text"
    date = "date"
    datetime = "datetime"
    boolean = "boolean"
    decimal = "decimal"


class Column(BaseModel):
    name: str
    type: ColumnType
    nullable: bool


class DatasetDescription(BaseModel):
    name: Dataset
    entity: str = Field(description="The table it holds: the `entity` of its feed changes.")
    primary_key: str
    on_feed: bool = Field(
        description="True: follow the feed after the snapshot. False: take the export whole "
        "again to keep it current (evaluations and regions)."
    )
    columns: list[Column]


OFF_FEED = frozenset({Dataset.obligations, Dataset.risks, Dataset.regions})


def column_type(column: sa.Column[object]) -> ColumnType:
    kind = getattr(column.type, "impl", column.type)
    # Enum derives from String: it is text.
    for sql_type, named in (
        (sa.Boolean, ColumnType.boolean),
        (sa.Integer, ColumnType.integer),
        (sa.Numeric, ColumnType.decimal),
        (sa.DateTime, ColumnType.datetime),
        (sa.Date, ColumnType.date),
        (sa.String, ColumnType.text),
    ):
        if isinstance(kind, sql_type):
            return named
    raise TypeError(f"no export type for {column.table.name}.{column.name}: {kind!r}")


def describe() -> list[DatasetDescription]:
    described = []
    for dataset, source in SOURCES.items():
        table = SQLModel.metadata.tables[source.table]
        described.append(
            DatasetDescription(
                name=dataset,
                entity=source.table,
                primary_key=source.key,
                on_feed=dataset not in OFF_FEED,
                columns=[
                    Column(
                        name=c,
                        type=column_type(table.c[c]),
                        nullable=bool(table.c[c].nullable) and c != source.key,
                    )
                    for c in source.columns
                ],
            )
        )
    return described


TITLES: dict[Dataset, str] = {
    Dataset.students: N_("Students"),
    Dataset.enrolments: N_("Enrolments"),
    Dataset.obligations: N_("Obligations"),
    Dataset.employments: N_("Employments"),
    Dataset.registrations: N_("Registrations"),
    Dataset.housing: N_("Housing"),
    Dataset.risks: N_("Risks"),
    Dataset.institutions: N_("Institutions"),
    Dataset.employers: N_("Employers"),
    Dataset.programmes: N_("Programmes"),
    Dataset.regions: N_("Regions"),
}
FILTERS = ("institution_id", "programme_id", "cohort", "region_code", "present_region_code")


def title(dataset: Dataset) -> str:
    """The dataset's name in the reader's language."""
    return gettext(TITLES[dataset])


def filters_of(dataset: Dataset) -> list[str]:
    """The filters an export of the dataset takes (``exports.ExportFilters``)."""
    return [f for f in FILTERS if f in SOURCES[dataset].columns]
