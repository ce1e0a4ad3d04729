"""Texts and helpers shared by the ingest tests (all texts written for these tests)."""

from __future__ import annotations

from pathlib import Path

from sitrep.ingest import iter_inputs
from sitrep.models import Report, Skipped

FIXTURES = Path(__file__).parent / "fixtures"

REPORT = """date 2020-05-03 Gunmen kill four traders near Gao market

AFP, BAMAKO

Unidentified gunmen killed four traders on Sunday at a livestock market near Gao in northern \
Mali, a local official told AFP.

"The attackers came on motorbikes and fled towards the border," the official said, asking \
not to be named.

The army said it had sent a patrol to the area.
"""

REPORT_BODY = REPORT.split("AFP, BAMAKO\n\n", 1)[1].strip()

FRENCH = (
    "Des hommes armés ont attaqué dimanche un marché de bétail près de Gao, dans le nord du "
    "Mali, tuant quatre commerçants, selon un responsable local joint par téléphone."
)
SPANISH = (
    "Hombres armados atacaron el domingo un mercado de ganado cerca de Gao, en el norte de "
    "Malí, y mataron a cuatro comerciantes, según un funcionario local."
)


def read_all(*paths: str | Path, **options: object) -> list[Report | Skipped]:
    """Everything iter_inputs yields for these paths."""
    return list(iter_inputs(list(paths), **options))  # type: ignore[arg-type]


def only(items: list[Report | Skipped]) -> Report | Skipped:
    """The single item of a list, failing with the list when there is not exactly one."""
    assert len(items) == 1, items
    return items[0]


def report(item: Report | Skipped) -> Report:
    assert isinstance(item, Report), item
    return item


def skipped(item: Report | Skipped, code: str) -> Skipped:
    assert isinstance(item, Skipped), item
    assert item.code == code, item
    return item
