"""The shared Markdown helpers keep catalog text from breaking tables and code spans."""

from __future__ import annotations

import pytest

from govern.docs.markdown import admonition, anchor, cell, code, fenced, table, text


def test_text_escapes_markdown_and_flattens_whitespace() -> None:
    assert text("a | b *c*\n  <d>") == "a \\| b \\*c\\* \\<d\\>"


def test_code_span_survives_backticks() -> None:
    assert code("status < 500") == "`status < 500`"
    assert code("a`b") == "``a`b``"
    assert code("`x`") == "`` `x` ``"


def test_cell_marks_missing_values() -> None:
    assert cell(None) == "—" and cell("") == "—" and cell(0) == "0"


def test_table_checks_its_rows() -> None:
    assert table(["a", "b"], [["1", ""]]) == "| a | b |\n| --- | --- |\n| 1 | — |"
    with pytest.raises(ValueError, match="2 columns"):
        table(["a", "b"], [["1"]])


def test_fence_is_longer_than_any_backtick_run() -> None:
    assert fenced("a ```` b", "text").startswith("`````text\n")


def test_admonition_indents_its_body() -> None:
    assert (
        admonition("note", 'Say "hi"', "one\n\ntwo")
        == "!!! note \"Say 'hi'\"\n\n    one\n\n    two"
    )


def test_anchor_is_the_mkdocs_heading_id() -> None:
    assert anchor("Version 2") == "version-2"
    assert anchor("GL account") == "gl-account"
