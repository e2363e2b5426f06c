"""Text measurement and wrapping with the shipped Inter metrics; the monotone spline."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.layouts.spline import monotone_segments
from journeymap.layouts.text import clean, metrics, text_width, wrap


def test_widths_come_from_the_font_advances():
    m = metrics(400)
    assert text_width("a", 10) == pytest.approx(m.advances[ord("a")] * 10)
    assert text_width("Hello", 13) == pytest.approx(sum(m.advances[ord(c)] for c in "Hello") * 13)
    assert text_width("Hello", 13, 600) > text_width("Hello", 13, 400)  # semibold is wider


def test_wide_characters_missing_from_the_font_measure_one_em():
    assert text_width("申し込み", 10) == pytest.approx(40)


def test_wrap_breaks_between_words_and_keeps_lines_within_the_width():
    lines = wrap("The quick brown fox jumps over the lazy dog", 100, 13)
    assert lines == ("The quick", "brown fox", "jumps over the", "lazy dog")
    assert all(text_width(line, 13) <= 100 for line in lines)
    # Greedy: the next line's first word would not have fitted.
    assert all(text_width(a + " " + b.split()[0], 13) > 100 for a, b in zip(lines, lines[1:]))


def test_wrap_keeps_explicit_newlines_and_drops_control_characters():
    assert wrap("one\ntwo", 500, 13) == ("one", "two")
    assert clean("a\x00b\x07c\td") == "abc d"


def test_long_urls_break_after_punctuation():
    url = "https://example.com/contact-sales?ref=pricing-page&utm_source=newsletter"
    lines = wrap(url, 160, 13)
    assert lines == ("https://example.com/", "contact-", "sales?ref=pricing-", "page&utm_source=", "newsletter")
    assert all(text_width(line, 13) <= 160 for line in lines)
    assert all(line[-1] in "/-.?&=_" for line in lines[:-1])


def test_a_word_without_punctuation_breaks_anywhere():
    word = "x" * 200
    lines = wrap(word, 50, 13)
    assert "".join(lines) == word and len(lines) > 3
    assert all(text_width(line, 13) <= 50 for line in lines)


def test_cjk_text_wraps_per_character():
    text = "申し込みフォームが長すぎて途中で諦めてしまいました"
    lines = wrap(text, 65, 13)  # five characters of 13 px
    assert lines[0] == "申し込みフ" and "".join(lines) == text


def test_mixed_cjk_and_latin_keeps_latin_words_whole():
    lines = wrap("東京 Tokyo station 駅", 60, 13)
    assert "Tokyo" in " ".join(lines).split()


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=300), st.floats(min_value=14, max_value=400), st.sampled_from([400, 600]))
def test_wrapped_lines_never_exceed_the_width_and_keep_every_character(text, width, weight):
    lines = wrap(text, width, 13, weight)
    assert all(text_width(line, 13, weight) <= width + 1e-6 for line in lines)
    squash = lambda s: "".join(clean(s).split())  # noqa: E731
    assert squash("".join(lines)) == squash(text)


def _inside(value, a, b):
    return min(a, b) - 1e-9 <= value <= max(a, b) + 1e-9


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-2, 2), min_size=2, max_size=30))
def test_monotone_curve_never_overshoots_its_neighbours(values):
    points = [(i * 100.0, float(v)) for i, v in enumerate(values)]
    for start, c1, c2, end in monotone_segments(points):
        # Every control point lies within the segment's band, so the curve does too.
        assert _inside(c1[1], start[1], end[1]) and _inside(c2[1], start[1], end[1])
        assert start[0] < c1[0] < c2[0] < end[0]


def test_monotone_curve_is_flat_at_a_repeated_value_and_passes_through_points():
    segs = monotone_segments([(0, 1), (10, 1), (20, 3)])
    assert segs[0][1][1] == 1 and segs[0][2][1] == 1
    assert [s[0] for s in segs] + [segs[-1][3]] == [(0, 1), (10, 1), (20, 3)]
    assert monotone_segments([(0, 1)]) == []


def test_hyphenated_words_break_after_a_hyphen():
    assert wrap("Damage not recorded in the proof-of-delivery app", 144, 13) == (
        "Damage not recorded", "in the proof-of-", "delivery app")
    assert wrap("costs -2 dollars", 500, 13) == ("costs -2 dollars",)
