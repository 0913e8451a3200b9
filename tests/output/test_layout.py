"""layout: wrapping by cells (CJK between any two characters) and fitting progress rows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canon_cli.output import layout
from canon_cli.output.layout import cell_width, fit_progress, longest_piece, wrap, wrap_spans


def test_chinese_wraps_between_characters_and_fills_each_line() -> None:
    text = "普林斯顿大学和谷歌的一项项目，旨在测试并改进 LLM 的推理和规划能力。"
    lines = wrap(text, 20)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cell_width(line) <= 20 for line in lines)
    assert all(cell_width(line) >= 18 for line in lines[:-1])  # not only at the spaces
    assert not any(line.startswith(("，", "。")) for line in lines)


@pytest.mark.parametrize("width", range(15, 40))  # 15: the widest piece, "（--archive）。"
def test_an_opening_bracket_stays_with_what_follows(width: int) -> None:
    text = "颜色：auto（在终端上着色）、always（管道中也着色）或 never（--archive）。"
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cell_width(line) <= width for line in lines)
    assert not any(line.endswith("（") for line in lines), lines
    assert not any(line.startswith(("）", "，", "。", "、")) for line in lines), lines


def test_english_wraps_at_spaces_and_breaks_only_a_word_wider_than_the_line() -> None:
    assert wrap("attention is all you need", 10) == ["attention", "is all you", "need"]
    assert wrap("supercalifragilistic yes", 8) == ["supercal", "ifragili", "stic yes"]


def test_spans_point_into_the_text() -> None:
    text = "ReAct：语言模型中的推理 and acting\nsecond"
    spans = wrap_spans(text, 12)
    assert [text[a:b] for a, b in spans] == wrap(text, 12)
    assert longest_piece(text) == len("ReAct：") + 1


@pytest.mark.parametrize("width", range(20, 130))
def test_progress_rows_keep_the_count_and_never_cut_a_bar(width: int) -> None:
    fit = fit_progress(width, name=75, count=5, time=4)
    used = fit.name + 2 + 5 + (fit.bar + 2 if fit.bar else 0) + (4 + 2 if fit.time else 0)
    assert used <= width or fit.name == 1
    assert fit.bar == 0 or 6 <= fit.bar <= 20


def test_progress_gives_way_in_order_names_bar_then_time() -> None:
    assert fit_progress(120, 75, 5, 4) == (75, 20, True)
    assert fit_progress(60, 75, 5, 4).bar == 20  # the names shrink first
    assert fit_progress(60, 75, 5, 4).name == 60 - 20 - 5 - 4 - 6
    narrow = fit_progress(40, 75, 5, 4)
    assert narrow.bar < 20 and narrow.name >= 10 and narrow.time
    assert fit_progress(24, 75, 5, 4) == (24 - 5 - 4 - 4, 0, True)  # no bar, the time kept
    assert fit_progress(16, 75, 5, 4) == (16 - 5 - 2, 0, False)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_text_breaks_where_the_character_by_character_rule_breaks_it(text: str) -> None:
    """Plain ASCII takes a shortcut (runs of spaces and of the rest); it breaks exactly
    where the rule for any text, read character by character, does."""
    assert layout._tokens(text) == layout._mixed_tokens(text)
