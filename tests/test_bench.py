"""The benchmark's pieces that need no large build: the bare Pelican project and the
BENCHMARKS.md section (the full run is `invoke bench`, recorded in BENCHMARKS.md)."""

from __future__ import annotations

from pathlib import Path

from tools.bench import END_MARK, START_MARK, markdown, write_bare_pelican, write_markdown


def test_bare_pelican_articles_are_about_150_words(tmp_path):
    write_bare_pelican(tmp_path, 3)
    articles = sorted((tmp_path / "content").glob("*.md"))
    assert len(articles) == 3
    body = articles[0].read_text(encoding="utf-8").split("\n\n", 1)[1]
    assert 140 <= len(body.split()) <= 160
    assert "SITENAME" in (tmp_path / "conf.py").read_text(encoding="utf-8")


def _results() -> dict:
    run = {"seconds": 10.0, "cpu": 9.0, "peak_mib": 300.0}
    return {
        "offers": 10,
        "date": "2026-11-22 00:00 UTC",
        "partners": 3,
        "events": 2,
        "pages": 20,
        "bare_pages": 12,
        "machine": {
            "cpu": "CPU",
            "cores": 2,
            "memory": "4 Gio",
            "system": "Linux",
            "python": "3.11",
            "pelican": "4.12.0",
        },
        "validate": {**run, "seconds": 1.0},
        "build": run,
        "bare": {**run, "seconds": 20.0, "cpu": 18.0},
        "cold": {**run, "seconds": 25.0, "cpu": 40.0},
        "edit": {**run, "seconds": 0.8, "search_seconds": 8.0, "cpu": 9.5},
        "edited": "offers/offre-02500.yaml",
        "ratio": 0.5,
        "cpu_ratio": 0.5,
        "cold_ratio": 2.5,
        "board": {"path": Path("offres/index.html"), "bytes": 2048, "gzip": 1024},
        "filter_data": {"path": Path("offres/filtres.json"), "bytes": 4096, "gzip": 1024},
    }


def test_results_section_is_replaced_and_notes_kept(tmp_path):
    text = markdown(_results())
    assert "invoke bench --offers 10" in text and "0.50 ×" in text and "✔ atteint" in text and "filtres.json" in text
    # The cold build (empty caches) against the warm one: 2.5 × misses its target of 2 ×.
    assert "| Construction à froid (caches d'images et de contenu vides) | 25.0 s ; CPU 40.0 s |" in text
    assert "| Rapport à froid / construction | 2.50 × | ≤ 2 × | ✘ manqué |" in text
    # The pages of an edit within 1 s, its search index after 8 s: each against the target.
    edit = (
        "| Une offre modifiée dans l'aperçu (`make serve`, reconstruction partielle ; `offers/offre-02500.yaml`, "
        "titre changé) : pages à jour | 0.8 s | ≤ 1 s | ✔ atteint |\n"
        "| … et index de recherche à jour (Pagefind refait, registre des sorties) | 8.0 s ; CPU 9.5 s | ≤ 1 s | ✘ manqué |"
    )
    assert edit in text
    target = tmp_path / "BENCHMARKS.md"
    target.write_text(f"# Banc\n\n{START_MARK}\nancien\n{END_MARK}\n\n## Profil\n\nnotes\n", encoding="utf-8")
    write_markdown(_results(), target)
    written = target.read_text(encoding="utf-8")
    assert "ancien" not in written and "## Profil\n\nnotes" in written and written.count(START_MARK) == 1


def test_medians_of_interleaved_runs_are_compared(tmp_path):
    from tools.bench import _median

    runs = [{"seconds": s, "cpu": s * 1.5, "peak_mib": m} for s, m in ((12.0, 400.0), (9.0, 450.0), (10.0, 420.0))]
    median = _median(runs)
    assert median["seconds"] == 10.0 and median["cpu"] == 15.0
    assert median["peak_mib"] == 450.0  # memory: the worst run counts
    assert _median(runs[:2])["seconds"] == 9.0  # an even count takes the lower middle

    results = _results()
    results["repetitions"] = 3
    results["build"] = {**results["build"], "runs": [10.0, 11.5, 9.5]}
    results["bare"] = {**results["bare"], "runs": [20.0, 19.0, 21.0]}
    results["cold"] = {**results["cold"], "runs": [25.0, 27.0]}
    text = markdown(results)
    assert "médiane de 3 mesure(s) faites en alternance" in text
    assert "construction 10.00 · 11.50 · 9.50 ; Pelican nu 20.00 · 19.00 · 21.00" in text
    assert "; à froid 25.00 · 27.00 ; une offre modifiée 0.80." in text
    assert "`.venv/bin/invoke bench --offers 10 --repetitions 3`" in text
    results["repetitions"] = 5
    assert "`.venv/bin/invoke bench --offers 10`" in markdown(results)


def test_the_benchmark_project_has_caches_of_its_own(tmp_path):
    """A cold build must be cold: the generated project's settings are the sample's, with its
    image and content caches inside the project (the sample's image cache is the repository's)."""
    from territoire.build import read_settings
    from territoire.config import read_config
    from territoire.contentcache import cache_folder
    from territoire.images import cache_folder as image_cache_folder

    from tools.bench import write_settings

    settings_file = write_settings(tmp_path)
    (tmp_path / "content").mkdir()
    settings = read_settings(str(settings_file), {"TERRITOIRE_ROOT": str(tmp_path), "PATH": str(tmp_path / "content")})
    config, problems = read_config(settings)
    assert not problems
    assert config.SITENAME == read_settings()["SITENAME"]  # the sample's settings
    assert image_cache_folder(config) == tmp_path / ".cache" / "images"
    assert cache_folder(config) == tmp_path / ".cache" / "contenu"


def test_previous_outputs_are_set_aside_not_deleted_between_runs(tmp_path):
    """Deleting ~15,000 files just before a build slows this machine's ext4 for 30 s: the
    benchmark moves each previous output aside and deletes them all at the end."""
    from tools.bench import _set_aside

    graveyard = tmp_path / "sorties-precedentes"
    output = tmp_path / "output"
    for n in range(2):
        (output / "offres").mkdir(parents=True)
        (output / "offres" / "index.html").write_text(f"construction {n}", encoding="utf-8")
        _set_aside(output, graveyard)
        assert not output.exists()
    kept = sorted(p.read_text(encoding="utf-8") for p in graveyard.glob("*/offres/index.html"))
    assert kept == ["construction 0", "construction 1"]
    _set_aside(output, graveyard)  # nothing to set aside: no error


def test_a_build_loads_no_developer_tool(tmp_path):
    """The benchmark and the project generator live in tools/, outside the runtime plugin: the
    plugin package holds neither, and a whole build imports nothing from tools/."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    script = (
        "import sys, pkgutil\n"
        f"sys.path.insert(0, {str(root / 'plugins')!r})\n"
        "import territoire\n"
        "from territoire.build import build\n"
        f"build(output={str(tmp_path / 'out')!r}, date='2026-11-22', quiet=True)\n"
        "print(sorted(m.name for m in pkgutil.walk_packages(territoire.__path__)))\n"
        "print(sorted(n for n in sys.modules if n == 'tools' or n.startswith('tools.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, encoding="utf-8", cwd=root, check=True)
    plugin_modules, tools_loaded = result.stdout.strip().splitlines()[-2:]
    assert "generator" in plugin_modules  # the listing itself works
    assert "bench" not in plugin_modules and "synthetic" not in plugin_modules
    assert tools_loaded == "[]"
    assert (tmp_path / "out" / "offres" / "index.html").exists()


def test_the_edited_offer_stays_valid_yaml():
    """The benchmark's one-edit measure changes a title, quoted or not, into another valid one."""
    import yaml

    from tools.bench import _retitled

    for text, title in (
        ('titre: "Café : épicerie"\n', "Café : épicerie (2)"),
        ("titre: Four à pain\n", "Four à pain (2)"),
    ):
        assert yaml.safe_load(_retitled(text, 2))["titre"] == title


def test_the_one_edit_measure_saves_an_offer_in_the_running_preview(project):
    """The one-edit figure is the preview's: `invoke serve` runs, an offer is saved with a new
    title, and each measure ends when the preview says the site is built, a partial rebuild."""
    import os
    import sys

    from tools.bench import _preview_edits, write_settings

    invoke = str(Path(sys.executable).with_name("invoke"))
    env = {**os.environ, "TERRITOIRE_PROJECT": str(project.root)}
    edited = project.path("offers/boulangerie-patisserie-ambert.yaml")
    said = []
    measured = _preview_edits(invoke, write_settings(project.root), env, edited, 2, said.append)
    assert len(measured) == 2 and all(m["seconds"] > 0 and m["cpu"] > 0 for m in measured)
    # The pages first, the search index after them (Pagefind works while the pages show).
    assert all(m["search_seconds"] > m["seconds"] for m in measured)
    assert all("une offre modifiée dans l'aperçu" in line for line in said)
    assert "(102)" in edited.read_text(encoding="utf-8")
    assert "(102)" in (project.output / "offres" / "boulangerie-patisserie-ambert" / "index.html").read_text(
        encoding="utf-8"
    )
