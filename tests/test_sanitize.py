"""Raw HTML in Markdown never brings scripts, event handlers, javascript: URLs or iframes."""

from __future__ import annotations

import pytest

ATTACK = """

<script>alert("offre")</script>
<img src="x.png" alt="x" onerror="alert('img')">
<a href="javascript:alert('lien')">cliquez</a>
<iframe src="https://example.com/espion"></iframe>
<p onclick="alert('p')">Paragraphe piégé</p>
"""

FORBIDDEN = ["<script>", "onerror=", "onclick=", "javascript:", "<iframe", "alert("]


def assert_clean(html: str) -> None:
    for needle in FORBIDDEN:
        assert needle not in html, needle
    assert "Paragraphe piégé" in html  # the harmless text stays


@pytest.fixture
def attacked(project):
    offer = project.path("offers/boulangerie-patisserie-ambert.yaml")
    offer.write_text(offer.read_text(encoding="utf-8") + "".join("  " + line + "\n" for line in ATTACK.splitlines()), encoding="utf-8")
    for relative in ("content/partenaires/adie.md", "content/evenements/micro-marche-lyon-2027.md", "content/pages/mentions-legales.md"):
        path = project.path(relative)
        path.write_text(path.read_text(encoding="utf-8") + ATTACK, encoding="utf-8")
    project.build()
    return project.output


@pytest.mark.parametrize(
    "page",
    ["offres/boulangerie-patisserie-ambert/index.html", "partenaires/adie/index.html", "evenements/micro-marche-lyon-2027/index.html", "mentions-legales/index.html"],
)
def test_raw_html_is_sanitized_on_every_kind_of_page(attacked, page):
    assert_clean((attacked / page).read_text(encoding="utf-8"))


def test_sanitizer_keeps_ordinary_markdown():
    from territoire.markup import render

    html = render(demote=1, text="## Titre\n\nUn **atout** et un [lien](https://example.org).\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h3" in html and "<strong>atout</strong>" in html and 'href="https://example.org"' in html and "<table>" in html
