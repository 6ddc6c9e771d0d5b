"""Links and assets of the built sample site: every internal href/src resolves to a file, every
page has a unique <title> and exactly one <h1> (read with a real HTML parser)."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from territoire.linkcheck import check_links
from territoire.outputs import Registry


class _Outline(HTMLParser):
    """The <title> text and the number of <h1> of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.titles = 0
        self.h1 = 0
        self._in_title = False
        self._svg = 0

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self._svg += 1
        if tag == "title" and not self._svg:  # an SVG <title> is a label, not the page's title
            self._in_title = True
            self.titles += 1
        elif tag == "h1":
            self.h1 += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "svg" and self._svg:
            self._svg -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)


def _pages(output: Path) -> dict[str, _Outline]:
    pages = {}
    for file in sorted(output.rglob("*.html")):
        rel = file.relative_to(output).as_posix()
        if rel.startswith(("pagefind/", "theme/")):
            continue  # tool and theme assets, not pages of the site
        outline = _Outline()
        outline.feed(file.read_text(encoding="utf-8"))
        pages[rel] = outline
    return pages


def test_every_internal_link_and_asset_resolves(built_site):
    problems = check_links(built_site, "")
    assert problems == [], f"{len(problems)} lien(s) interne(s) cassé(s) :\n" + "\n".join(problems[:50])


def test_link_check_reports_a_broken_link_and_a_missing_asset(tmp_path):
    (tmp_path / "offres").mkdir()
    (tmp_path / "offres" / "index.html").write_text("<a href='/offres/'>ok</a>", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="/offres/">ok</a><a href="/nulle-part/">cassé</a><img src="/theme/absente.png" alt="">'
        '<a href="https://exemple.org/">externe</a><a href="mailto:a@b.fr">courriel</a>',
        encoding="utf-8",
    )
    # The site's files are the output registry's, saved with the site.
    registry = Registry()
    for page in ("offres/index.html", "index.html"):
        registry.record(page, "vue")
    registry.save(tmp_path)
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "absente.png").write_bytes(b"")  # on disk, but no build made it
    problems = check_links(tmp_path, "")
    assert len(problems) == 2
    assert any("/nulle-part/" in p and p.startswith("index.html") for p in problems)
    assert any("/theme/absente.png" in p for p in problems)


def test_every_page_has_one_h1_and_a_unique_title(built_site):
    pages = _pages(built_site)
    assert len(pages) > 50
    problems = []
    by_title = defaultdict(list)
    for rel, outline in pages.items():
        title = " ".join("".join(outline.title).split())
        if outline.titles != 1 or not title:
            problems.append(f"{rel} : {outline.titles} balise(s) <title> (attendu : une, non vide)")
        else:
            by_title[title].append(rel)
        if outline.h1 != 1:
            problems.append(f"{rel} : {outline.h1} titre(s) <h1> (attendu : exactement un)")
    for title, rels in sorted(by_title.items()):
        if len(rels) > 1:
            problems.append(
                f"titre « {title} » partagé par {len(rels)} pages : {', '.join(rels[:5])}{' …' if len(rels) > 5 else ''}"
            )
    assert problems == [], "\n".join(problems[:60])
