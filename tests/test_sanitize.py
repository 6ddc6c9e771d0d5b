"""Raw HTML in Markdown never brings scripts, event handlers, javascript: URLs or iframes."""

from __future__ import annotations

import pytest

ATTACK = """

<script>alert("offre")</script>
<img src="/images/offres/boulangerie-ambert.jpg" alt="Vitrine de la boulangerie" onerror="alert('img')">
<a href="javascript:alert('lien')">cliquez</a>
<iframe src="https://example.com/espion"></iframe>
<p onclick="alert('p')">Paragraphe piégé</p>

[lien markdown](javascript:alert('md')) et <svg onload="alert('svg')"></svg> <object data="x.swf"></object>
"""

FORBIDDEN = ["<script>", "onerror=", "onclick=", "onload=", "javascript:", "<iframe", "<object", "alert("]


def assert_clean(html: str) -> None:
    for needle in FORBIDDEN:
        assert needle not in html, needle
    assert "Paragraphe piégé" in html  # the harmless text stays


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    from conftest import Project

    project = Project(tmp_path_factory.mktemp("attaque") / "projet")
    offer = project.path("offers/boulangerie-patisserie-ambert.yaml")
    offer.write_text(
        offer.read_text(encoding="utf-8") + "".join("  " + line + "\n" for line in ATTACK.splitlines()),
        encoding="utf-8",
    )
    for relative in (
        "content/partenaires/adie.md",
        "content/evenements/micro-marche-lyon-2027.md",
        "content/pages/mentions-legales.md",
    ):
        path = project.path(relative)
        path.write_text(path.read_text(encoding="utf-8") + ATTACK, encoding="utf-8")
    project.build()
    return project.output


@pytest.mark.parametrize(
    "page",
    [
        "offres/boulangerie-patisserie-ambert/index.html",
        "partenaires/adie/index.html",
        "evenements/micro-marche-lyon-2027/index.html",
        "mentions-legales/index.html",
    ],
)
def test_raw_html_is_sanitized_on_every_kind_of_page(attacked, page):
    assert_clean((attacked / page).read_text(encoding="utf-8"))


def test_sanitizer_keeps_ordinary_markdown():
    from territoire.markup import render

    html = render(
        demote=1, text="## Titre\n\nUn **atout** et un [lien](https://example.org).\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert (
        "<h3" in html
        and "<strong>atout</strong>" in html
        and 'href="https://example.org"' in html
        and "<table>" in html
    )


@pytest.mark.parametrize(
    "body",
    [
        '<img src="https://pisteur.example.com/p.png" alt="Vue du bourg">',
        '<img src="//pisteur.example.com/p.png" alt="Vue du bourg">',
        '<IMG SRC="/\\pisteur.example.com/p.png" alt="Vue du bourg">',
        "![Vue du bourg][p]\n\n[p]: https://pisteur.example.com/p.png",
        "![Vue du bourg](http://pisteur.example.com/p.png)",
    ],
)
def test_no_image_of_another_host_reaches_the_page(body):
    """Validation refuses these (test_security_files); whatever gets past it, the visitor's
    browser receives the image without its address, and so fetches nothing, CSP or not."""
    from territoire.markup import render

    html = render("Texte.\n\n" + body)
    assert "pisteur.example.com" not in html
    assert '<img alt="Vue du bourg">' in html
    assert 'src="/images/offres/a.jpg"' in render("![Vitrine](/images/offres/a.jpg)")
