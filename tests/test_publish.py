"""Publishing (issue 7): real targets (a folder, a bare git repository, rsync) and a real nginx
serving the published folder with the generated configuration snippet."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUILD_DATE, ROOT, fetch, nginx_serving
from territoire.build import build
from territoire.linkcheck import check_links
from territoire.outputs import Registry
from territoire.publishers import FilePublisher, GitPublisher, PublishError, RsyncPublisher, make_publisher

SITEURL = "https://cap-actif.example.org"


@pytest.fixture(scope="module")
def prod_site(tmp_path_factory) -> Path:
    """The sample site built ONCE for this module with publishconf.py (hosting files included)."""
    output = tmp_path_factory.mktemp("prod") / "site"
    build("publishconf.py", output=str(output), date=BUILD_DATE, overrides={"SITEURL": SITEURL}, quiet=True)
    return output


@pytest.fixture(scope="module")
def publication(tmp_path_factory):
    """`invoke publish` of the sample site to a file:// target, run ONCE (the real command)."""
    target = tmp_path_factory.mktemp("www") / "cap-actif"
    env = {**os.environ, "SITEURL": SITEURL, "PYTHONUTF8": "1"}
    env.pop("TERRITOIRE_PROJECT", None)
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "invoke"), "publish", "--target", f"file://{target}", "--date", BUILD_DATE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    return target, result


@pytest.fixture(scope="module")
def published(publication) -> Path:
    target, result = publication
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    return target


def html_pages(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


# --- Link check ------------------------------------------------------------------------------


def test_link_check_reports_broken_internal_links_in_french(tmp_path):
    site = tmp_path / "site"
    (site / "offres").mkdir(parents=True)
    (site / "img").mkdir()
    (site / "img" / "a.png").write_bytes(b"png")
    (site / "offres" / "index.html").write_text("<p>offres</p>", encoding="utf-8")
    (site / "index.html").write_text(
        f"""<a href="{SITEURL}/offres/">ok</a> <a href="/offres">ok</a> <a href="offres/#x">ok</a>
<img src="img/a.png" srcset="/img/a.png 1x, /img/manque.png 2x" alt="">
<a href="https://ailleurs.example.com/rien/">externe</a> <a href="mailto:a@b.fr">m</a> <a href="tel:+33">t</a>
<a href="#contenu">ancre</a> <img src="data:image/png;base64,AA" alt="">
<a href="{SITEURL}/nulle-part/">cassé</a>""",
        encoding="utf-8",
    )
    registry = Registry()  # the site's files, as a build records them (outputs.py)
    registry.complete(site)
    registry.save(site)
    problems = check_links(site, SITEURL)
    assert len(problems) == 2, problems
    assert problems[0].startswith("index.html:2 : le lien « /img/manque.png »")
    assert "nulle-part/index.html" in problems[1] and "ne mène à aucun fichier" in problems[1]


def test_every_internal_link_of_the_sample_site_resolves(prod_site):
    assert check_links(prod_site, SITEURL) == []


# --- Hosting files generated with the site ------------------------------------------------------


def test_hosting_files(prod_site):
    headers = (prod_site / "_headers").read_text(encoding="utf-8")
    csp = re.search(r"Content-Security-Policy: (.*)", headers).group(1)
    assert "'unsafe-inline'" not in csp
    for part in (
        "default-src 'self'",
        "img-src 'self' data: https://tile.openstreetmap.org",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
    ):
        assert part in csp
    assert "X-Content-Type-Options: nosniff" in headers
    assert "\n  Strict-Transport-Security: max-age=31536000\n" in headers  # SITEURL is https://
    assert (prod_site / "_hebergement" / "nginx.conf").is_file()
    robots = (prod_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots
    import xml.etree.ElementTree as ET

    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [e.find(f"{ns}loc").text for e in ET.parse(prod_site / "sitemap.xml").getroot()]
    assert f"{SITEURL}/" in locs and f"{SITEURL}/offres/" in locs
    assert not any("404" in u or "/admin/" in u for u in locs)
    noindex = [
        p
        for p in html_pages(prod_site)
        if re.search(r'<meta name="robots" content="[^"]*noindex', (prod_site / p).read_text(encoding="utf-8"))
    ]
    assert noindex, "the sample has withdrawn and expired offers: their pages are noindex"
    assert not any(u.removeprefix(SITEURL + "/") + ("index.html" if u.endswith("/") else "") in noindex for u in locs)


def test_assets_are_fingerprinted_and_pages_have_one_canonical(prod_site):
    home = (prod_site / "index.html").read_text(encoding="utf-8")
    css = re.findall(r'href="[^"]*/theme/css/(site\.[0-9a-f]{8}\.css)"', home)
    assert css and (prod_site / "theme" / "css" / css[0]).is_file()
    assert 'theme/css/site.css"' not in home
    for rel in html_pages(prod_site):
        if rel.startswith(("pagefind/", "theme/")):
            continue
        text = (prod_site / rel).read_text(encoding="utf-8")
        count = text.count('rel="canonical"')
        assert count == (0 if rel in ("404.html", "admin/index.html") else 1), rel  # the CMS page is a noindex tool


def test_fingerprinted_modules_import_fingerprinted_modules(prod_site):
    """Every theme file is cached for a year: a page's module and the modules it imports are all
    named after their content, so a new helper module cannot meet an old page module."""
    board = (prod_site / "offres" / "index.html").read_text(encoding="utf-8")
    module = re.findall(r'<script type="module" src="[^"]*/theme/js/(offres\.[0-9a-f]{8}\.js)"></script>', board)
    assert module, "the board loads its hashed module"
    folder = prod_site / "theme" / "js"
    imports = re.findall(r'from "\./([^"]+)"', (folder / module[0]).read_text(encoding="utf-8"))
    assert imports and all(re.fullmatch(r"commun\.[0-9a-f]{8}\.js", name) for name in imports), imports
    assert (folder / imports[0]).read_bytes() == (folder / "commun.js").read_bytes()
    # The page has the browser fetch that very file alongside its module, not after it.
    assert re.findall(r'<link rel="modulepreload" href="[^"]*/theme/js/([^"]+)">', board) == imports
    # The plain copies, for anything that loads them by name, import each other by plain name.
    assert 'from "./commun.js"' in (folder / "offres.js").read_text(encoding="utf-8")


def test_the_map_asks_for_the_fingerprinted_copies_of_leaflet(prod_site):
    """Leaflet's files, added by carte.js when a visitor starts the map, are named on its button:
    the fingerprinted copies, like every file a page names."""
    page = (prod_site / "carte" / "index.html").read_text(encoding="utf-8")
    styles = re.search(r'data-styles="([^"]+)"', page).group(1).split(" ")
    scripts = re.search(r'data-scripts="([^"]+)"', page).group(1).split(" ")
    assert len(styles) == 3 and len(scripts) == 2
    for url in styles + scripts:
        assert re.fullmatch(re.escape(SITEURL) + r"/theme/vendor/[\w./-]+\.[0-9a-f]{8}\.(css|js)", url), url
        assert (prod_site / url.removeprefix(SITEURL + "/")).is_file(), url


def test_precompressed_copies_are_deterministic(prod_site):
    import brotli

    page = prod_site / "index.html"
    assert gzip.decompress((prod_site / "index.html.gz").read_bytes()) == page.read_bytes()
    assert brotli.decompress((prod_site / "index.html.br").read_bytes()) == page.read_bytes()
    assert (prod_site / "index.html.gz").read_bytes()[4:8] == b"\0\0\0\0"  # mtime 0


# --- Targets ---------------------------------------------------------------------------------------


def test_targets_are_chosen_by_address(tmp_path):
    bare = tmp_path / "depot.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    assert isinstance(make_publisher("file:///srv/site"), FilePublisher)
    assert isinstance(make_publisher("rsync://hote/module/site"), RsyncPublisher)
    assert isinstance(make_publisher("deploiement@hote:/var/www/site"), RsyncPublisher)
    assert isinstance(make_publisher(str(tmp_path / "dossier")), RsyncPublisher)
    gh = make_publisher("ghpages://cap-actif/site", "www.cap-actif.fr")
    assert (
        isinstance(gh, GitPublisher)
        and gh.remote == "git@github.com:cap-actif/site.git"
        and gh.cname == "www.cap-actif.fr"
    )
    assert isinstance(make_publisher(str(bare)), GitPublisher)
    assert isinstance(make_publisher("https://forge.example.org/reseau/site.git"), GitPublisher)
    with pytest.raises(PublishError, match="ghpages://propriétaire/dépôt"):
        make_publisher("ghpages://seulement-un-nom")


def test_file_target_swaps_and_keeps_previous_for_rollback(prod_site, tmp_path):
    target = tmp_path / "www"
    publisher = make_publisher(f"file://{target}")
    publisher.publish(prod_site)
    (target / "ancien.txt").write_text("v1", encoding="utf-8")
    publisher.publish(prod_site)
    assert (target / "index.html").is_file() and not (target / "ancien.txt").exists()
    assert (tmp_path / "www.precedent" / "ancien.txt").read_text(encoding="utf-8") == "v1"
    assert not (target / "_hebergement").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["www", "www.precedent"]  # no leftovers


def test_failure_while_copying_leaves_previous_publication_intact(prod_site, tmp_path):
    target = tmp_path / "www"
    FilePublisher(target).publish(prod_site)
    before = sorted(p.relative_to(target).as_posix() for p in target.rglob("*"))
    broken = tmp_path / "casse"
    shutil.copytree(prod_site, broken)
    os.mkfifo(broken / "offres" / "zz-tube")  # copying a named pipe fails in the middle of the copy
    with pytest.raises(PublishError, match="la publication précédente est intacte"):
        FilePublisher(target).publish(broken)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["casse", "www"]


def test_a_failed_copy_is_told_in_one_french_line(tmp_path):
    """A copy that fails on some files says so in French, once: not Python's list of English
    errors; and a target that never existed is not said to « no longer exist »."""
    site = tmp_path / "site"
    (site / "offres").mkdir(parents=True)
    (site / "index.html").write_text("accueil", encoding="utf-8")
    for number in range(3):
        os.mkfifo(site / "offres" / f"tube-{number}")
    with pytest.raises(PublishError) as refused:
        FilePublisher(tmp_path / "www").publish(site)
    message = str(refused.value)
    assert message == (
        f"la copie vers {tmp_path / 'www'} a échoué (un fichier spécial ne peut pas être copié, et 2 autre(s) fichier(s)) : "
        "rien n'a été publié, aucune publication n'existait à cet endroit."
    )


def test_a_full_disk_is_told_in_one_french_line(tmp_path):
    """The target on a disk of 256 KiB (a tmpfs in a namespace of its own) and a site of 2 MB:
    one French line, whatever the number of files that could not be written."""
    site = tmp_path / "site"
    site.mkdir()
    for number in range(50):
        (site / f"page-{number}.html").write_bytes(os.urandom(40_000))
    disk = tmp_path / "disque"
    disk.mkdir()
    code = (
        "import sys; sys.path.insert(0, 'plugins'); from pathlib import Path; "
        "from territoire.publishers import FilePublisher, PublishError\n"
        "try:\n    FilePublisher(Path(sys.argv[1])).publish(Path(sys.argv[2]))\n"
        "except PublishError as exc:\n    print(exc)"
    )
    script = f'mount -t tmpfs -o size=256k tmpfs "$1" && exec "{sys.executable}" -c "$2" "$1/www" "$3"'
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, "sh", str(disk), code, str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr[-2000:]
    assert result.stdout == (
        f"la copie vers {disk / 'www'} a échoué (le disque est plein, et "
        f"{result.stdout.split('et ')[1].split(' autre')[0]} autre(s) fichier(s)) : "
        "rien n'a été publié, aucune publication n'existait à cet endroit.\n"
    )
    assert len(result.stdout) < 300


def test_unwritable_target_publishes_nothing(prod_site, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier", encoding="utf-8")
    with pytest.raises(PublishError, match="rien n'a été publié"):
        FilePublisher(blocker / "www").publish(prod_site)


def test_rsync_to_a_local_folder(prod_site, tmp_path):
    target = tmp_path / "miroir"
    target.mkdir()
    (target / "perime.html").write_text("vieux", encoding="utf-8")
    make_publisher(str(target)).publish(prod_site)
    assert (target / "index.html").read_bytes() == (prod_site / "index.html").read_bytes()
    assert not (target / "perime.html").exists()
    assert not (target / "_hebergement").exists()
    assert len(html_pages(target)) == len(html_pages(prod_site))


def test_git_gh_pages_single_commit(prod_site, tmp_path):
    bare = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    publisher = make_publisher(str(bare), "www.cap-actif.fr")
    publisher.publish(prod_site)
    publisher.publish(prod_site)

    def git(*args):
        return subprocess.run(["git", "--git-dir", str(bare), *args], capture_output=True, text=True, check=True).stdout

    names = git("ls-tree", "--name-only", "gh-pages").split()
    assert {"index.html", "CNAME", ".nojekyll", "offres"} <= set(names)
    assert "_hebergement" not in names
    assert git("show", "gh-pages:CNAME") == "www.cap-actif.fr\n"
    assert git("rev-list", "--count", "gh-pages").strip() == "1"


# --- The invoke task ---------------------------------------------------------------------------------


def test_publish_task_refuses_a_site_with_broken_links(project, tmp_path):
    target = tmp_path / "www"
    target.mkdir()
    (target / "index.html").write_text("publication précédente", encoding="utf-8")
    project.write("content/pages/casse.md", "Title: Page cassée\nSlug: casse\n\n[Nulle part](/nulle-part/)\n")
    result = project.run("publish", "--target", f"file://{target}", "--date", BUILD_DATE)
    assert result.returncode == 1
    assert "casse/index.html" in result.stdout and "/nulle-part/" in result.stdout
    assert "rien n'a été publié" in result.stderr
    assert (target / "index.html").read_text(encoding="utf-8") == "publication précédente"


def test_publish_task_publishes_the_sample_site(publication, prod_site):
    target, result = publication
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "Vérification des liens internes" in result.stdout and "Site publié" in result.stdout
    assert (target / "index.html").is_file() and (target / "robots.txt").is_file()
    assert not (target / "_hebergement").exists()
    # Same sources, same date: the published site is the module's production build, byte for byte
    # (Pagefind's filter files excepted, see README).
    for rel in ("index.html", "offres/index.html", "sitemap.xml", "_headers", "index.html.br"):
        assert (target / rel).read_bytes() == (prod_site / rel).read_bytes(), rel


# --- A real nginx ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nginx(prod_site, published, tmp_path_factory):
    with nginx_serving(
        tmp_path_factory.mktemp("nginx"), {"site": published}, prod_site / "_hebergement" / "nginx.conf"
    ) as urls:
        yield urls["site"]


def test_nginx_serves_every_published_page(nginx, published):
    failures = []
    pages = [p for p in html_pages(published) if p != "404.html"]
    for rel in pages:
        path = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        status, _, _ = fetch(f"{nginx}/{path}")
        if status != 200:
            failures.append(f"{path}: {status}")
    assert len(pages) > 50
    assert failures == []


def test_nginx_missing_url_gets_the_404_page(nginx):
    status, _, body = fetch(f"{nginx}/cette-page-n-existe-pas/")
    assert status == 404
    assert "Page introuvable" in body.decode("utf-8")


def test_nginx_answers_every_folder_with_a_page(nginx, published):
    """No address answers the server's raw « 403 Forbidden »: a folder of pages without a page
    of its own leads to its pages, a folder of files (images, theme…) gets the 404 page."""
    statuses = {}
    for folder in sorted(p for p in published.rglob("*") if p.is_dir()):
        rel = folder.relative_to(published).as_posix()
        if rel.startswith(("_hebergement", "theme/vendor/decap-cms")):
            continue
        status, _, body = fetch(f"{nginx}/{rel}/")
        statuses[rel] = status
        assert status in (200, 404), f"/{rel}/ : statut {status}"
        if status == 404:
            assert "Page introuvable" in body.decode("utf-8"), f"/{rel}/ : la page 404 du site est attendue"
    for rel, target in (
        ("reseau", "/reseau/bilan/"),
        ("offres/prix", "/offres/"),
        ("offres/secteur", "/offres/"),
        ("trouver-un-accompagnement/commerce", "/trouver-un-accompagnement/"),
    ):
        status, _, body = fetch(f"{nginx}/{rel}/")
        html = body.decode("utf-8")
        assert status == 200, f"/{rel}/ : statut {status}"
        assert f'content="0; url={SITEURL}{target}"' in html and "Cette adresse mène à une autre page" in html
        assert fetch(f"{nginx}{target}")[0] == 200
    # The communes' folder is a page of its own: every commune with offers, by intercommunality.
    status, _, body = fetch(f"{nginx}/offres/commune/")
    assert status == 200 and "<h1>Offres par commune</h1>" in body.decode("utf-8")
    assert statuses["images"] == 404 and statuses["theme/css"] == 404


def test_nginx_serves_the_search_interface_compressed(nginx, published):
    """Pagefind's interface (pagefind-ui.js and .css) has precompressed copies, which nginx
    (gzip_static, no on-the-fly compression) sends to a browser that accepts gzip."""
    import urllib.request

    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js"):
        assert (published / "pagefind" / f"{name}.gz").is_file() and (published / "pagefind" / f"{name}.br").is_file()
        request = urllib.request.Request(f"{nginx}/pagefind/{name}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "gzip", name
            body = gzip.decompress(response.read())
        assert body == (published / "pagefind" / name).read_bytes()


def test_nginx_security_and_cache_headers(nginx, published):
    status, headers, _ = fetch(f"{nginx}/offres/")
    assert status == 200
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Permissions-Policy"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000"  # the site is served over HTTPS
    html_cache = headers["Cache-Control"]
    css = next(
        p.relative_to(published).as_posix()
        for p in (published / "theme" / "css").glob("site.*.css")
        if re.search(r"\.[0-9a-f]{8}\.css$", p.name)
    )
    status, asset_headers, _ = fetch(f"{nginx}/{css}")
    assert status == 200
    assert "immutable" in asset_headers["Cache-Control"] and "max-age=31536000" in asset_headers["Cache-Control"]
    assert "immutable" not in html_cache and "max-age=300" in html_cache
    assert asset_headers["X-Content-Type-Options"] == "nosniff"
    status, _, _ = fetch(f"{nginx}/_hebergement/nginx.conf")
    assert status == 404
    # Photos named after their content are cached for good; a photo under its own name, an hour.
    hashed = next(p for p in (published / "images" / "offres").iterdir() if re.search(r"\.[0-9a-f]{10}\.webp$", p.name))
    status, photo_headers, _ = fetch(f"{nginx}/{hashed.relative_to(published).as_posix()}")
    assert (
        status == 200
        and "immutable" in photo_headers["Cache-Control"]
        and "max-age=31536000" in photo_headers["Cache-Control"]
    )
    assert photo_headers["Content-Security-Policy"].startswith("default-src 'none'")
    plain = next(p for p in (published / "images").rglob("*.jpg") if not re.search(r"\.[0-9a-f]{10}\.jpg$", p.name))
    status, plain_headers, _ = fetch(f"{nginx}/{plain.relative_to(published).as_posix()}")
    assert status == 200 and plain_headers["Cache-Control"] == "public, max-age=3600"


def _cache_control(rules: str, path: str) -> str | None:
    """The Cache-Control a host reading the _headers file (Netlify, Cloudflare Pages) sends for
    ``path``: every rule whose pattern matches applies, in order; « ! Name » drops what an
    earlier rule set."""
    value = None
    for block in re.split(r"\n(?=/)", rules.split("\n", 1)[1]):
        pattern, *lines = block.strip("\n").split("\n")
        if not re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), path):
            continue
        for line in lines:
            line = line.strip()
            if line == "! Cache-Control":
                value = None
            elif line.startswith("Cache-Control:"):
                value = line.split(":", 1)[1].strip()
    return value


def test_headers_file_caches_photos_named_after_their_content_for_good(project):
    """On Netlify or Cloudflare Pages (_headers) as with nginx: a photo variant named after its
    content is immutable; a photo at its own address (a .webp source too) is kept an hour; pages
    five minutes."""
    from PIL import Image

    Image.new("RGB", (1200, 800), (90, 120, 60)).save(project.path("content/images/offres/source-webp.webp"), "WEBP")
    output = project.build()
    rules = (output / "_headers").read_text(encoding="utf-8")
    photos = [p.relative_to(output).as_posix() for p in (output / "images").rglob("*") if p.is_file()]
    hashed = [p for p in photos if re.search(r"\.[0-9a-f]{10}\.webp$", p)]
    plain = [p for p in photos if not re.search(r"\.[0-9a-f]{10}\.\w+$", p)]
    assert hashed and "images/offres/source-webp.webp" in plain
    for path in hashed:
        assert _cache_control(rules, "/" + path) == "public, max-age=31536000, immutable", path
    for path in plain:
        assert _cache_control(rules, "/" + path) == "public, max-age=3600", path
    assert _cache_control(rules, "/offres/") == "public, max-age=300, must-revalidate"
    # One rule for every content-named WebP, and one exception per WebP source: the file stays
    # within the hosts' limits (Cloudflare Pages reads 100 rules) whatever the number of photos.
    assert rules.count("\n/") < 20


def test_nginx_gives_the_cms_page_its_own_policy(nginx, published):
    status, headers, _ = fetch(f"{nginx}/admin/")
    assert status == 200
    csp = headers["Content-Security-Policy"]
    assert "'unsafe-eval'" in csp and "https://api.github.com" in csp and "frame-ancestors 'none'" in csp
    _, page_headers, _ = fetch(f"{nginx}/offres/")
    assert "'unsafe-eval'" not in page_headers["Content-Security-Policy"]
    rules = (published / "_headers").read_text(encoding="utf-8")
    assert "/admin/*\n  ! Content-Security-Policy\n  Content-Security-Policy: " in rules
