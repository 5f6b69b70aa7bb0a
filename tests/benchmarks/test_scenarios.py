from benchmarks.scenarios import count_posts, css_assets, is_third_party, page_assets

BASE = "http://127.0.0.1:8000"


def test_page_assets_are_stylesheets_scripts_images_and_icons_not_links_or_data():
    html = (
        '<link rel="stylesheet" href="/static/site.css"><link rel="canonical" href="/x/">'
        '<link rel="icon" href="/static/favicon.svg"><script src="/static/app.js"></script>'
        '<img src="data:image/png;base64,AAA"><img src="https://cdn.example.com/a.png">'
        '<a href="/forum/">forum</a>'
    )
    assert page_assets(BASE, BASE + "/forum/", html) == [
        BASE + "/static/site.css",
        BASE + "/static/favicon.svg",
        BASE + "/static/app.js",
        "https://cdn.example.com/a.png",
    ]


def test_fonts_and_imports_inside_css_are_assets_too():
    css = (
        "@import 'base.css'; @font-face { src: url(\"fonts/a.woff2\") } .x{background:url(data:,)}"
    )
    assert css_assets(BASE + "/static/css/site.css", css) == [
        BASE + "/static/css/fonts/a.woff2",
        BASE + "/static/css/base.css",
    ]


def test_only_other_hosts_are_third_party():
    assert not is_third_party(BASE, BASE + "/static/a.css")
    assert is_third_party(BASE, "https://fonts.example.com/a.css")


def test_posts_are_counted_with_each_systems_markup():
    assert count_posts("ours", '<article class="post x"></article>' * 3) == 3
    assert count_posts("unknown", "<article>") == 0
