"""ACLED's view of an event: actors named and categorised under ACLED's conventions.

sitrep's own actor fields say only what the text says. ACLED always names both sides where
its codebook implies them: violence by an unnamed perpetrator is by an "Unidentified Armed
Group", violence against unnamed victims is against "Civilians", a protest or riot with no
named crowd is by "Protesters" or "Rioters". This module applies those conventions for the
ACLED export and for scoring against ACLED rows; the event itself is left as the text has it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitrep.actors import inter_code, interaction_code, sector_name
from sitrep.models import Actor, Event

CIVILIANS_INTER = 7
VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
DEFAULT_ACTOR1 = {
    "Battles": "UAF",
    "Explosions/Remote violence": "UAF",
    "Violence against civilians": "UAF",
    "Protests": "PRT",
    "Riots": "RIO",
}
DEFAULT_ACTOR2 = {"Violence against civilians": "CVL"}


@dataclass(frozen=True)
class AcledActors:
    """The two actors of an event as ACLED would code them."""

    actor1: str | None
    inter1: int | None
    actor2: str | None
    inter2: int | None

    @property
    def interaction(self) -> int | None:
        return interaction_code(self.inter1, self.inter2)

    @property
    def civilian_targeting(self) -> bool:
        return self.inter2 == CIVILIANS_INTER


def acled_actors(event: Event) -> AcledActors:
    """Actor names and inter codes for an event with an ACLED type."""
    country = event.location.country_code if event.location else None
    kind = event.acled_event_type or ""
    name1, inter1 = side(event.actor1, DEFAULT_ACTOR1.get(kind), country)
    name2, inter2 = side(event.actor2, DEFAULT_ACTOR2.get(kind), country)
    return AcledActors(name1, inter1, name2, inter2)


def side(
    actor: Actor | None, default_sector: str | None, country: str | None
) -> tuple[str | None, int | None]:
    """One actor's name and inter code, or the conventional unnamed actor."""
    if actor is not None:
        return actor.name, inter_code(actor.sector, actor.country, country)
    if default_sector is None:
        return None, None
    return sector_name(default_sector, country), inter_code(default_sector, country, country)
