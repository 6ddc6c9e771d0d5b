"""`invoke serve` (make serve): builds the project it is pointed at, serves it on 127.0.0.1 and
rebuilds when a content file changes."""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lines(proc: subprocess.Popen) -> queue.Queue:
    found: queue.Queue = queue.Queue()

    def read() -> None:
        for line in proc.stdout:
            found.put(line)

    threading.Thread(target=read, daemon=True).start()
    return found


def _wait_for(lines: queue.Queue, text: str, timeout: float = 300) -> list[str]:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=deadline - time.monotonic())
        except queue.Empty:
            break
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"« {text} » attendu ; reçu :\n{''.join(seen)}")


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_serve_builds_the_named_project_and_rebuilds_on_change(project):
    port = _free_port()
    proc = _start_serve(project, port)
    try:
        lines = _lines(proc)
        _wait_for(lines, f"Aperçu sur http://127.0.0.1:{port}/")
        assert (project.output / "offres" / "index.html").exists(), (
            "le projet nommé par TERRITOIRE_PROJECT doit être construit"
        )
        page = _get(f"http://127.0.0.1:{port}/offres/boulangerie-patisserie-ambert/")
        assert "<h1>Boulangerie" in page
        offer = project.path("offers/boulangerie-patisserie-ambert.yaml")
        text = offer.read_text(encoding="utf-8")
        offer.write_text(
            "\n".join(
                "titre: Fournil modifié à Ambert" if line.startswith("titre:") else line for line in text.splitlines()
            )
            + "\n",
            encoding="utf-8",
        )
        _wait_for(lines, "Modifié : offers/boulangerie-patisserie-ambert.yaml")
        _wait_for(lines, "Site construit dans")
        assert "<h1>Fournil modifié à Ambert</h1>" in _get(
            f"http://127.0.0.1:{port}/offres/boulangerie-patisserie-ambert/"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _start_serve(project, port: int) -> subprocess.Popen:
    env = {**os.environ, "TERRITOIRE_PROJECT": str(project.root), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "invoke"), "serve", "--port", str(port), "--date", "2026-11-22"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )


@pytest.mark.browser
def test_serve_shows_the_french_error_in_the_browser_then_reloads_after_a_fix(project, browser):
    """make serve: a partner saves a file with a tab; the open page shows the French error over
    the previous version, under the site's strict CSP (no inline script); once the file is fixed
    the page reloads by itself with the new content."""
    port = _free_port()
    proc = _start_serve(project, port)
    context = browser.new_context(locale="fr-FR")
    try:
        lines = _lines(proc)
        _wait_for(lines, f"Aperçu sur http://127.0.0.1:{port}/")
        url = f"http://127.0.0.1:{port}/offres/boulangerie-patisserie-ambert/"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert "script-src 'self' 'wasm-unsafe-eval'" in response.headers["Content-Security-Policy"]
            served = response.read().decode("utf-8")
        assert '<script src="/_apercu/apercu.js" defer></script>' in served
        assert not re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", served)  # no inline script
        tab = context.new_page()
        violations: list[str] = []
        tab.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        tab.goto(url)
        assert tab.locator("h1").inner_text() == "Boulangerie-pâtisserie à reprendre au cœur d'Ambert"
        assert tab.locator("#apercu-erreurs").count() == 0

        offer = project.path("offers/boulangerie-patisserie-ambert.yaml")
        original = offer.read_text(encoding="utf-8")
        offer.write_text(original.replace("titre: Boulangerie", "titre:\tBoulangerie"), encoding="utf-8")
        overlay = tab.locator("#apercu-erreurs")
        overlay.wait_for(timeout=300000)
        text = overlay.inner_text()
        assert "Le site n'a pas été reconstruit : le contenu contient des erreurs" in text
        assert (
            "offers/boulangerie-patisserie-ambert.yaml:3:7 — une tabulation a été trouvée ici ; remplacez la tabulation par des espaces"
            in text
        )
        assert overlay.get_attribute("role") == "alert"
        assert (
            tab.locator("h1").first.inner_text() == "Boulangerie-pâtisserie à reprendre au cœur d'Ambert"
        )  # previous version below

        offer.write_text(
            original.replace("titre: Boulangerie-pâtisserie à reprendre", "titre: Fournil à reprendre"),
            encoding="utf-8",
        )
        tab.get_by_role("heading", level=1, name="Fournil à reprendre au cœur d'Ambert", exact=True).wait_for(
            timeout=300000
        )
        assert tab.locator("#apercu-erreurs").count() == 0
        assert violations == []
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_shows_an_error_page_when_the_first_build_fails(project):
    project.write("offers/cassee.yaml", "reference: LF-2026-990\ntitre:\tCassée\n")
    port = _free_port()
    proc = _start_serve(project, port)
    try:
        lines = _lines(proc)
        _wait_for(lines, f"Aperçu sur http://127.0.0.1:{port}/")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
            raise AssertionError("attendu : une page d'erreur (503)")
        except urllib.error.HTTPError as error:
            assert error.code == 503
            page = error.read().decode("utf-8")
        assert "<h1>Le contenu contient des erreurs</h1>" in page
        assert (
            "offers/cassee.yaml:2:7 — une tabulation a été trouvée ici ; remplacez la tabulation par des espaces"
            in page
        )
        assert '<script src="/_apercu/apercu.js" defer></script>' in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} absent de {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _compared_with_a_full_build(project, full) -> subprocess.CompletedProcess:
    """Build the project's sources again, whole, into ``full`` (`invoke build`), and compare
    that site with the preview's, byte for byte (tools/compare_outputs.py: Pagefind's filter
    files aside, which change from one full build to the next too)."""
    env = {**os.environ, "TERRITOIRE_PROJECT": str(project.root)}
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "invoke"), "build", "--date", "2026-11-22", "--output", str(full)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "compare_outputs.py"), str(full), str(project.output)],
        capture_output=True,
        encoding="utf-8",
    )


def test_serve_rebuilds_only_what_an_edit_touches_and_matches_a_full_build(project, tmp_path):
    """After its first build, the preview renders only the routes an edit may have changed
    (incremental.py) and takes every other file from the previous build; the site it serves is
    the one a full build of the same files makes, byte for byte, whatever the edit touches: an
    offer's text, its price (the board's price facets), a partner (the directory, the offers it
    refers), an offer removed, an offer saved again while the search index of its previous save
    is being made. A page of content/pages/ edited is a full build."""
    port = _free_port()
    proc = _start_serve(project, port)
    edits = [
        ("offers/boulangerie-patisserie-ambert.yaml", "titre: Boulangerie-pâtisserie", "titre: Fournil"),
        ("offers/boulangerie-patisserie-ambert.yaml", "prix: 85000", "prix: 185000"),
        ("content/partenaires/adie.md", "telephone: 04 65 71 10 23", "telephone: 04 65 71 10 99"),
        ("offers/atelier-coutellerie-thiers.yaml", None, None),  # removed
        # Saved twice: again as soon as its pages show, while its search index is being made.
        ("offers/boulangerie-patisserie-ambert.yaml", "prix: 185000", "prix: 175000"),
    ]
    again = {4: ("titre: Fournil", "titre: Fournil du bourg")}
    try:
        lines = _lines(proc)
        _wait_for(lines, f"Aperçu sur http://127.0.0.1:{port}/")
        for number, (name, old, new) in enumerate(edits):
            path = project.path(name)
            if old is None:
                path.unlink()
            else:
                _edit(path, old, new)
            said = "".join(_wait_for(lines, "Site construit dans"))
            assert "erreur" not in said.lower(), said
            assert re.search(r"reconstruction partielle : [\d  ]+ fichiers refaits, [\d  ]+ repris", said), said
            kept = int(re.search(r"([\d  ]+) repris", said).group(1).replace("\u202f", "").replace(" ", ""))
            assert kept > 100, f"modification {number + 1} : presque tout a été refait ({said})"
            # The pages show at once; the files to download, then Pagefind's new index follow (the
            # previous index is served meanwhile).
            assert "puis l'index de recherche suivent" in said and "Index de recherche à jour" not in said, said
            assert "pagefind" in _get(f"http://127.0.0.1:{port}/pagefind/pagefind-ui.js")
            if number in again:
                # The next build waits for the previous one's index, then rebuilds partially.
                _edit(path, *again[number])
                said = "".join(_wait_for(lines, "Site construit dans"))
                assert "Index de recherche à jour" in said and "reconstruction partielle" in said, said
                assert said.index("Index de recherche à jour") < said.index("reconstruction partielle"), said
            said = "".join(_wait_for(lines, "Index de recherche à jour"))
            assert "pages indexées dans pagefind/" in said and "✘" not in said, said
            kept = re.search(r"(\d+) pages indexées dans pagefind/ \((\d+) mises à jour, les autres reprises\)", said)
            if old is None:  # a page gone: the index is made afresh, its pages in a full build's order
                assert kept is None, said
            else:  # Pagefind kept its index: only the pages written again were handed to it
                assert kept and 0 < int(kept.group(2)) < int(kept.group(1)), said

            compared = _compared_with_a_full_build(project, tmp_path / f"complet-{number}")
            assert compared.returncode == 0, f"après « {name} » : {compared.stdout}"
        assert "Fournil du bourg" in _get(f"http://127.0.0.1:{port}/offres/boulangerie-patisserie-ambert/")

        # A page of content/pages/: what shows it is not recorded, so everything is built again.
        page = next(project.path("content/pages").glob("*.md"))
        page.write_text(page.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
        said = "".join(_wait_for(lines, "Site construit dans"))
        assert "reconstruction partielle" not in said, said
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_preview_does_not_grow_from_one_build_to_the_next(project):
    """`make serve` builds again and again in one process: what a build made is let go once the
    next one is done (Pelican's page caches kept every page of every build before)."""
    script = """
import gc, sys
from pathlib import Path
from territoire.build import build
from territoire.incremental import Preview

preview = Preview()
offer = Path(sys.argv[1])
text = offer.read_text(encoding="utf-8")
counts = []
for n in range(4):
    if n:
        offer.write_text(text.replace("titre: ", f"titre: Essai {n} ", 1), encoding="utf-8")
        preview.changed_paths = [offer]
    build(date="2026-11-22", quiet=True, preview=preview)
    gc.collect()
    counts.append(len(gc.get_objects()))
print(*counts)
"""
    env = {**os.environ, "TERRITOIRE_PROJECT": str(project.root)}
    offer = project.path("offers/boulangerie-patisserie-ambert.yaml")
    done = subprocess.run(
        [sys.executable, "-c", script, str(offer)], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    counts = [int(n) for n in done.stdout.split()[-4:]]
    assert counts[3] - counts[1] < 1000, f"objets en vie après chaque construction : {counts}"


def test_a_preview_whose_pagefind_stopped_makes_its_index_again_from_every_page(project, tmp_path, capsys):
    """The preview keeps Pagefind running between builds (search.SearchIndex.next_round): if it
    stopped meanwhile, the next partial rebuild starts another and hands it every page; the
    site, its index included, is then the one a full build makes."""
    env = {**os.environ, "TERRITOIRE_PROJECT": str(project.root)}
    script = """
import sys
from pathlib import Path
from territoire.build import build
from territoire.incremental import Preview

preview = Preview()
build(date="2026-11-22", quiet=True, preview=preview)
preview.search._proc.kill()  # Pagefind stops between two saves
preview.search._proc.wait()
offer = Path(sys.argv[1])
offer.write_text(offer.read_text(encoding="utf-8").replace("titre: Boulangerie", "titre: Fournil", 1), encoding="utf-8")
preview.changed_paths = [offer]
build(date="2026-11-22", preview=preview)
preview.settle()
preview.drop_search()
"""
    offer = project.path("offers/boulangerie-patisserie-ambert.yaml")
    done = subprocess.run(
        [sys.executable, "-c", script, str(offer)], cwd=ROOT, env=env, capture_output=True, encoding="utf-8", check=True
    )
    said = done.stdout
    assert "reconstruction partielle" in said and "Index de recherche à jour" in said, said
    assert re.search(r"\d+ pages indexées dans pagefind/\.", said), said  # every page, to a new Pagefind
    compared = _compared_with_a_full_build(project, tmp_path / "complet")
    assert compared.returncode == 0, compared.stdout
