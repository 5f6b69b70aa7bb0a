from markup import multiline_text, single_line_text


def test_multiline_text_drops_nul_and_control_characters_but_keeps_tabs_and_newlines():
    assert multiline_text("a\x00b\x07c\td\r\ne\x7f") == "abc\td\ne"


def test_multiline_text_keeps_the_first_line_indentation_and_drops_blank_lines_around():
    assert multiline_text("\n  \n    code line\nnext  \n\n") == "    code line\nnext"


def test_single_line_text_folds_whitespace_and_drops_controls():
    assert single_line_text("  Water\x00 \n\t Board\x1b ") == "Water Board"
    assert single_line_text(None) == ""
