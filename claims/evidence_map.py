"""The evidence map: the claim in the middle, the claims linked to it in two columns beside
it, drawn as SVG.

Laid out here, drawn by templates/claims/_evidence_map.html: no JavaScript, every label is
escaped by the template, and the evidence list beside it is its text alternative. The
columns grow downwards, so boxes never overlap and never leave the view box, however many
links there are; labels wrap to three lines, the full text is in each box's tooltip.
"""

import textwrap
from dataclasses import dataclass
from typing import Any

WIDTH = 720
MARGIN = 12
BOX_WIDTH = 220
LINE_HEIGHT = 15
LABEL_LINES = 3
LABEL_CHARS = 32  # per line, at the label's font size
GAP = 14
CENTRE_WIDTH = 220

# The colour and dash of each link type; both, so the map reads without colour too.
STYLES = {
    "supports": ("#2d7a3e", ""),
    "contradicts": ("#b3261e", "8 5"),
    "qualifies": ("#9a6700", "3 4"),
    "same_assertion": ("#0b5cad", "12 4 2 4"),
}


@dataclass(frozen=True)
class MapNode:
    x: float  # top-left corner of the box
    y: float
    width: float
    height: float
    lines: list[str]
    text: str
    grade: str
    url: str
    link_label: str  # "supports", "contradicts"… as read from the node to the centre or back
    colour: str
    dash: str
    anchor_x: float  # where its line meets the box
    anchor_y: float

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2


def wrap(text: str, *, width: int = LABEL_CHARS, lines: int = LABEL_LINES) -> list[str]:
    """The label in at most `lines` lines of about `width` characters, "…" if cut."""
    wrapped = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def _box_height(lines: int) -> float:
    return lines * LINE_HEIGHT + LINE_HEIGHT + 14  # the label, a line for the link and grade, padding


def layout(claim: Any, evidence: list[tuple[str, list[tuple[Any, Any]]]]) -> dict[str, Any]:
    """Boxes for the centre claim and each linked claim: odd ones on the left, even on the right."""
    items = [(heading, other, link) for heading, pairs in evidence for other, link in pairs]
    columns: dict[str, list[tuple[str, Any, Any, list[str]]]] = {"left": [], "right": []}
    for index, (heading, other, link) in enumerate(items):
        columns["left" if index % 2 == 0 else "right"].append((heading, other, link, wrap(other.text)))
    heights = {side: sum(_box_height(len(entry[3])) for entry in column) + GAP * max(len(column) - 1, 0)
               for side, column in columns.items()}
    centre_lines = wrap(claim.text, width=30, lines=4)
    centre_height = _box_height(len(centre_lines)) + 6
    height = max(heights["left"], heights["right"], centre_height) + 2 * MARGIN
    centre_x, centre_y = (WIDTH - CENTRE_WIDTH) / 2, (height - centre_height) / 2
    nodes = []
    for side, column in columns.items():
        x = MARGIN if side == "left" else WIDTH - MARGIN - BOX_WIDTH
        y = (height - heights[side]) / 2
        for heading, other, link, lines in column:
            box = _box_height(len(lines))
            colour, dash = STYLES[link.link_type]
            nodes.append(MapNode(
                x=x, y=round(y, 1), width=BOX_WIDTH, height=box, lines=lines, text=other.text,
                grade=f"{other.claimant.reliability}{other.credibility}", url=other.get_absolute_url(),
                link_label=heading, colour=colour, dash=dash,
                anchor_x=x + BOX_WIDTH if side == "left" else x, anchor_y=round(y + box / 2, 1),
            ))
            y += box + GAP
    return {
        "width": WIDTH, "height": round(height, 1),
        "centre": {"x": centre_x, "y": round(centre_y, 1), "width": CENTRE_WIDTH, "height": centre_height,
                   "lines": centre_lines, "text_x": WIDTH / 2},
        "cx": WIDTH / 2, "cy": round(height / 2, 1),
        "centre_text": claim.text,
        "centre_grade": f"{claim.claimant.reliability}{claim.credibility}",
        "nodes": nodes, "legend": [(name.replace("_", " "), *style) for name, style in STYLES.items()],
    }
