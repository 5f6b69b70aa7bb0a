from markup import FORUM_POST, quote_markdown, render_markdown


def test_quote_inserts_an_attributed_block_quote():
    quoted = quote_markdown(
        author_name="Ana [Silva]", permalink="/forum/p/7/", source="First line\n\nSecond"
    )
    assert quoted == (
        "> **[Ana \\[Silva\\]](/forum/p/7/) wrote:**\n>\n> First line\n>\n> Second\n\n"
    )
    html = render_markdown(quoted + "I agree.", FORUM_POST).html
    assert html.startswith('<blockquote>\n<p><strong><a href="/forum/p/7/"')
    assert "Ana [Silva]</a> wrote:</strong>" in html
    assert html.endswith("<p>I agree.</p>\n")
