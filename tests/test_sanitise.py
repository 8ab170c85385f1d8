"""Model-written markup and styles: nothing that runs, loads remotely or escapes its section survives."""

from __future__ import annotations

from bs4 import BeautifulSoup

from webagent.core.sanitise import clean_css, clean_section_html, shown_without_scripts


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_scripts_frames_and_handlers_are_removed_and_copy_kept():
    html, css = clean_section_html(
        '<section id="x"><h2 onclick="steal()">Our menu</h2><script>alert(1)</script>'
        '<iframe src="https://evil.example"></iframe><a href="javascript:alert(1)">Order</a></section>',
        "menu",
    )
    page = soup_of(html)
    assert page.find(["script", "iframe"]) is None
    assert page.h2.attrs == {} and page.h2.text == "Our menu"
    assert page.a["href"] == "#" and page.a.text == "Order"
    assert page.section["id"] == "menu" and css == ""


def test_remote_links_and_media_outside_slots_are_dropped():
    html, _ = clean_section_html(
        '<section><a href="https://example.com">Shop</a><a href="#visit">Visit</a>'
        '<img src="https://cdn.example/x.png"><video src="/etc/passwd"></video>'
        '<figure data-slot="hero-photo"><img src="../../secret.png"></figure>'
        '<svg><image href="https://x/y.svg"/><use xlink:href="https://x#a"/></svg></section>',
        "hero",
    )
    page = soup_of(html)
    assert [a["href"] for a in page.find_all("a")] == ["#", "#visit"]
    assert page.find(["img", "video", "image"]) is None
    assert page.find(attrs={"data-slot": "hero-photo"}) is not None
    assert page.find("use")["xlink:href"] == "#"


def test_loose_markup_is_wrapped_in_one_section_with_the_planned_id():
    html, _ = clean_section_html("<h2>Pricing</h2><p>Two plans.</p>", "pricing")
    page = soup_of(html)
    assert [tag.name for tag in page.contents if tag.name] == ["section"]
    assert page.section["id"] == "pricing" and page.section.h2.text == "Pricing"


def test_inline_style_elements_become_section_css():
    html, css = clean_section_html("<section><style>.card { color: red; }</style><p>Hi</p></section>", "a")
    assert "<style" not in html and ".card { color: red; }" in css


def test_inline_style_attributes_lose_remote_urls_and_expressions():
    html, _ = clean_section_html(
        '<section><div style="background:url(https://x/y.png);color:red;width:expression(alert(1))">A</div></section>',
        "a",
    )
    assert soup_of(html).div["style"] == "background:none;color:red"


def test_section_css_is_scoped_to_its_section():
    css = clean_css(
        "h2 { color: red; } .card, #pricing .price { padding: 4px; } body { margin: 0; } "
        "@media (max-width: 600px) { .card { padding: 2px; } }",
        scope="#pricing",
    )
    assert "#pricing h2 { color: red; }" in css
    assert "#pricing .card, #pricing .price { padding: 4px; }" in css
    assert "#pricing { margin: 0; }" in css
    assert "@media (max-width: 600px) {\n#pricing .card { padding: 2px; }\n}" in css


def test_imports_fonts_and_remote_urls_are_removed_from_stylesheets():
    css = clean_css(
        '@import url("https://fonts.example/css");\n@font-face { font-family: X; src: url(https://x/f.woff2); }\n'
        '.hero { background: url("https://x/bg.jpg") center; color: #123456; }\n'
        ".dot { background: url(data:image/png;base64,AAAA); }\n"
        ".bad { behavior: url(x.htc); color: blue; }\n</style><script>alert(1)</script>"
    )
    assert "@import" not in css and "@font-face" not in css and "https://" not in css
    assert ".hero { background: none center; color: #123456; }" in css
    assert "url(data:image/png;base64,AAAA)" in css
    assert ".bad { color: blue; }" in css
    assert "<script" not in css and "</style" not in css


def test_keyframes_are_kept_for_motion():
    css = clean_css("@keyframes float { from { transform: translateY(0); } to { transform: translateY(-4px); } }")
    assert css.startswith("@keyframes float {") and "translateY(-4px)" in css


def test_a_header_or_footer_answer_keeps_its_element_and_the_page_one_id():
    html, _ = clean_section_html('<header id="top" class="site"><nav>Home</nav></header>', "top")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("section#top > header.site nav").get_text() == "Home"
    assert len(soup.select("#top")) == 1


def test_content_hidden_until_a_script_reveals_it_is_shown_and_other_hiding_kept():
    css = clean_css(
        ".reveal { opacity: 0; transform: translateY(24px); transition: opacity .6s } "
        ".reveal.is-visible { opacity: 1 } .card .overlay { opacity: 0 } .card:hover .overlay { opacity: 1 } "
        ".tab { opacity: 0 } .tab.active { opacity: 1 }",
        scope="#s",
    )
    shown = shown_without_scripts(
        css, '<section id="s"><h2 class="reveal">Hi</h2><p class="tab active">A</p></section>'
    )
    assert "#s .reveal { transition: opacity .6s; }" in shown  # waits for "is-visible", which nothing adds
    assert "#s .card .overlay { opacity: 0; }" in shown  # shown on hover: no script needed
    assert "#s .tab { opacity: 0; }" in shown  # "active" is in the markup: a state, not a script's reveal


def test_forms_keep_their_fields_and_look_but_cannot_submit():
    html, _ = clean_section_html(
        '<section><form action="https://collect.example" method="post" target="_blank">'
        '<input type="email" name="email"><input type="submit" value="Send"><input type="IMAGE" alt="Go">'
        '<button>Join</button><button type="reset">Clear</button></form>'
        '<button form="signup" formaction="https://collect.example/x">Outside</button></section>',
        "signup",
    )
    form = soup_of(html).form
    assert form.attrs == {}
    default = form.find(True)  # the first control is the form's default button: disabled, so Enter submits nothing
    assert (default.name, default["type"], default.has_attr("disabled"), default.has_attr("hidden")) == (
        "button",
        "submit",
        True,
        True,
    )
    assert [(el.name, el.get("type")) for el in form.find_all(True)[1:]] == [
        ("input", "email"),
        ("input", "button"),
        ("input", "button"),
        ("button", "button"),
        ("button", "reset"),
    ]
    outside = soup_of(html).find_all("button")[-1]
    assert outside.attrs == {"type": "button"} and outside.text == "Outside"
    assert clean_css('form input[type=submit], button[type="submit"] { color: red }', scope="#signup") == (
        '#signup form input[type="button"], #signup button[type="button"] { color: red; }'
    )
