"""Words for readers and the evidence map's geometry: pure functions, no database."""

from types import SimpleNamespace

import pytest

from claims import evidence_map, reading

LETTERS, NUMBERS = "ABCDEF", range(1, 7)


@pytest.mark.parametrize("letter", list(LETTERS))
@pytest.mark.parametrize("number", list(NUMBERS))
def test_every_grade_reads_as_a_sentence(letter: str, number: int) -> None:
    sentence = reading.grade_sentence(letter, number)
    assert sentence.startswith("From a") and sentence.endswith(".")
    assert "source" in sentence and "the claim is" in sentence
    assert reading.verdict(number)[0].isupper()


def test_context_is_cut_at_word_boundaries() -> None:
    prefix = "ion to a related company, Santex, "  # 32+ characters, starting mid-word
    assert reading.context_before(prefix[-32:]) == "to a related company, Santex, "
    assert reading.context_before("short prefix ") == "short prefix "
    suffix = ". Customs records show Rustakt p"
    assert reading.context_after(suffix) == ". Customs records show Rustakt"
    assert reading.context_after("ends. ") == "ends. "


def test_highlight_marks_the_words_and_escapes_the_rest() -> None:
    html = str(reading.highlight("<b>Drone</b> parts for drones", "drone"))
    assert html == "&lt;b&gt;<mark>Drone</mark>&lt;/b&gt; parts for <mark>drone</mark>s"
    assert str(reading.highlight("a < b", "")) == "a &lt; b"


def _claim(n: int, text: str = "") -> SimpleNamespace:
    return SimpleNamespace(text=text or f"Linked claim number {n} with a long text that needs wrapping " * 2,
                           claimant=SimpleNamespace(reliability="C"), credibility=3,
                           get_absolute_url=lambda: f"/claims/{n}/")


def _evidence(count: int) -> list:
    types = ["supports", "contradicts", "qualifies", "same_assertion"]
    pairs = [(_claim(n), SimpleNamespace(link_type=types[n % 4])) for n in range(count)]
    return [("Linked", pairs)] if pairs else []


def _overlap(a: tuple, b: tuple) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


@pytest.mark.parametrize("count", [0, 1, 4, 12])
def test_the_map_has_no_overlapping_box_and_none_outside_the_view(count: int) -> None:
    layout = evidence_map.layout(_claim(99, "The claim in the middle, which is also rather long " * 3),
                                 _evidence(count))
    centre = layout["centre"]
    boxes = [(centre["x"], centre["y"], centre["width"], centre["height"])] + [
        (node.x, node.y, node.width, node.height) for node in layout["nodes"]]
    assert len(layout["nodes"]) == count
    for index, box in enumerate(boxes):
        x, y, width, height = box
        assert x >= 0 and x + width <= layout["width"] and y >= 0 and y + height <= layout["height"], box
        for other in boxes[index + 1:]:
            assert not _overlap(box, other), (box, other)
    for node in layout["nodes"]:
        assert 1 <= len(node.lines) <= evidence_map.LABEL_LINES
        assert all(len(line) <= evidence_map.LABEL_CHARS for line in node.lines)
        assert node.text.startswith(node.lines[0])  # the full text stays for the tooltip


def test_a_single_link_leaves_no_large_empty_box() -> None:
    layout = evidence_map.layout(_claim(1, "Short"), _evidence(1))
    assert layout["height"] < 200
