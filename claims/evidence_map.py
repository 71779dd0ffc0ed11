"""The evidence map: the claim in the middle, the claims linked to it around it, drawn as SVG.

Laid out here, drawn by templates/claims/_evidence_map.html: no JavaScript, every label is
escaped by the template, and the evidence list beside it is its text alternative.
"""

import math
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 640, 420
CENTRE = (WIDTH / 2, HEIGHT / 2)
RADIUS = 150
LABEL_CHARS = 34

# The colour and dash of each link type; both, so the map reads without colour too.
STYLES = {
    "supports": ("#2d7a3e", ""),
    "contradicts": ("#b3261e", "8 5"),
    "qualifies": ("#9a6700", "3 4"),
    "same_assertion": ("#0b5cad", "12 4 2 4"),
}


@dataclass(frozen=True)
class MapNode:
    x: float
    y: float
    label: str
    text: str
    grade: str
    url: str
    link_label: str  # "supports", "contradicts"… as read from the node to the centre or back
    colour: str
    dash: str


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def layout(claim: Any, evidence: list[tuple[str, list[tuple[Any, Any]]]]) -> dict[str, Any]:
    """Positions for the centre and for each linked claim, evenly round a circle."""
    items = [(heading, other, link) for heading, pairs in evidence for other, link in pairs]
    nodes = []
    for index, (heading, other, link) in enumerate(items):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(items), 1)
        colour, dash = STYLES[link.link_type]
        nodes.append(MapNode(
            x=round(CENTRE[0] + RADIUS * 1.45 * math.cos(angle), 1),
            y=round(CENTRE[1] + RADIUS * math.sin(angle), 1),
            label=_short(other.text), text=other.text, grade=f"{other.claimant.reliability}{other.credibility}",
            url=other.get_absolute_url(), link_label=heading, colour=colour, dash=dash,
        ))
    return {
        "width": WIDTH, "height": HEIGHT, "cx": CENTRE[0], "cy": CENTRE[1],
        "centre_label": _short(claim.text),
        "centre_text": claim.text,
        "centre_grade": f"{claim.claimant.reliability}{claim.credibility}",
        "nodes": nodes, "legend": [(name.replace("_", " "), *style) for name, style in STYLES.items()],
    }
