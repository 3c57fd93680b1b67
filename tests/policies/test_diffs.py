"""The inline diff people read to compare versions: word by word, escaped."""

from __future__ import annotations

import re

import pytest

from policies.diffs import word_diff

pytestmark = pytest.mark.pure


def test_a_changed_word_shows_as_removed_then_added():
    html = str(word_diff("Rounds last seven days.", "Rounds last ten days."))
    assert html == "Rounds last <del>seven</del><ins>ten</ins> days."


def test_added_and_removed_sentences_keep_the_unchanged_words_plain():
    html = str(word_diff("We talk. We decide.", "We talk first. We decide."))
    assert html == "We talk<ins> first</ins>. We decide."


def test_markup_people_typed_is_escaped_on_both_sides():
    html = str(word_diff("<b>old</b>", "<script>alert(1)</script> new"))
    text_only = re.sub(r"</?(ins|del)>", "", html)
    assert "<" not in text_only and ">" not in text_only
    assert "&lt;" in text_only and "script" in text_only


def test_identical_texts_have_no_marks_and_line_breaks_survive():
    text = "One.\n\nTwo."
    assert str(word_diff(text, text)) == text
    assert "\n" in str(word_diff("a\nb", "a\nc"))
