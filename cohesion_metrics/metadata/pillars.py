"""The pillars of the report's framework, each with its axis (role) and recommendation 5 action, declared once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pillar:
    """A pillar of the report's framework: its axis (role) and the recommendation 5 action it points to."""

    id: str
    label: str
    description: str
    #: The axis the pillar belongs to: "need", "capacity", "hazard" or "context" (shown, never scored).
    role: str
    #: Recommendation 5 letter: (a) spaces, (b) networks, (c) trust, (d) participation, (e) urgent needs; "" for none.
    letter: str

    @property
    def action(self) -> str:
        """The recommendation 5 action, e.g. "(a) inclusive spaces"."""
        return f"({self.letter}) {RECOMMENDATION_5[self.letter]}" if self.letter else ""

    @property
    def is_capacity(self) -> bool:
        """True for the cohesion-capacity pillars."""
        return self.role == "capacity"


#: Recommendation 5 of the report: what to fund.
RECOMMENDATION_5 = {
    "a": "inclusive spaces",
    "b": "network building",
    "c": "trust",
    "d": "participatory decision making",
    "e": "urgent needs and root causes",
    "f": "capacity building",
}
ROLES = ("need", "capacity", "hazard", "context")

PILLARS: tuple[Pillar, ...] = (
    Pillar(
        "urgent_needs",
        "Urgent needs and root causes",
        "Economic insecurity, housing and access to services.",
        "need",
        "e",
    ),
    Pillar(
        "vulnerability",
        "Vulnerability",
        "People an emergency hits hardest: poor health, disability, heavy caring, older people living alone.",
        "need",
        "e",
    ),
    Pillar(
        "inclusive_spaces", "Inclusive spaces", "Places people can reach to meet across differences.", "capacity", "a"
    ),
    Pillar(
        "connections",
        "Connections and networks",
        "Conditions for everyday connection: residential stability and language barriers services can lower.",
        "capacity",
        "b",
    ),
    Pillar(
        "trust", "Trust", "Trust in local institutions (only police-trust measures are available).", "capacity", "c"
    ),
    Pillar(
        "participation",
        "Participation and community ownership",
        "Taking part in local decisions and civic life.",
        "capacity",
        "d",
    ),
    Pillar(
        "hazard_flood",
        "Flood exposure",
        "Residents in Flood Zone 3 (rivers and sea, defences ignored).",
        "hazard",
        "",
    ),
    Pillar("hazard_heat", "Heat exposure", "Low tree canopy, a proxy for heat exposure.", "hazard", ""),
    Pillar("hazard_air", "Air pollution", "Pollutant concentrations (IoD2019 air quality indicator).", "hazard", ""),
    Pillar("context", "Context", "Descriptive figures shown for context, never scored.", "context", ""),
)
PILLARS_BY_ID = {p.id: p for p in PILLARS}


def pillars_with_role(role: str) -> tuple[str, ...]:
    """The ids of the pillars on one axis ("need", "capacity", "hazard"), in registry order."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {list(ROLES)}")
    return tuple(p.id for p in PILLARS if p.role == role)
