"""`invoke diff --base REV` summarizes a change for reviewers, from a real git repository."""

from __future__ import annotations

import subprocess


def git(project, *args):
    return subprocess.run(["git", *args], cwd=project.root, check=True, capture_output=True, text=True)


def test_diff_lists_added_removed_and_changed_offers(project):
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    bakery = project.path("offers/boulangerie-patisserie-ambert.yaml")
    bakery.write_text(
        bakery.read_text(encoding="utf-8").replace("statut: disponible", "statut: conclue\nconclue_le: 2026-11-20"),
        encoding="utf-8",
    )
    project.path("offers/scierie-job.yaml").unlink()
    result = project.run(
        "new-offer",
        "--titre",
        "Garage à reprendre à Viverols",
        "--nature",
        "reprise",
        "--secteur",
        "artisanat",
        "--commune",
        "Viverols",
        "--referent",
        "cma-63",
        "--date",
        "2026-11-22",
    )
    assert result.returncode == 0, result.stderr
    from test_scaffold import replace_placeholder

    replace_placeholder(
        project.root / result.stdout.strip(),
        "Un garage de village avec sa clientèle, son atelier équipé et un logement au-dessus.",
    )
    event = project.path("content/evenements/micro-marche-lyon-2027.md")
    event.write_text(
        event.read_text(encoding="utf-8").replace("---\n", "---\n", 1).replace("lieu:", "lieu: Nouveau lieu —", 1),
        encoding="utf-8",
    )

    out = project.run("diff", "--base", "main")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "## Effet de la modification sur le site (par rapport à `main`)" in text
    assert (
        "- ajoutée : **Garage à reprendre à Viverols** (LF-2026-022) — `/offres/garage-a-reprendre-a-viverols/`" in text
    )
    assert "- supprimée : **Scierie" in text
    assert (
        "- statut changé : **Boulangerie-pâtisserie à reprendre au cœur d'Ambert** (LF-2026-014) : Disponible → Conclue"
        in text
    )
    assert (
        "### Événements\n- modifié : **" in text
        and "  - lieu : « Place Carnot, stand du réseau Cap Actif » → « Nouveau lieu — Place Carnot" in text
    )
    assert "✔ contenu valide" in text


def test_diff_reports_validation_errors_and_unknown_base(project):
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    project.write("offers/cassee.yaml", "reference: LF-2026-999\n")
    out = project.run("diff", "--base", "main")
    assert "✘ **" in out.stdout and "offers/cassee.yaml:1:1" in out.stdout
    missing = project.run("diff", "--base", "nexistepas")
    assert missing.returncode == 2 and "la révision « nexistepas » est introuvable" in missing.stderr


def _committed(project):
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")


def test_diff_shows_hostile_titles_as_plain_text(project):
    """A title cannot hide or misstate the change in the pull-request comment: no tag, link,
    image, mention or automatic link survives; control characters are shown as escapes."""
    _committed(project)
    hostile = (
        "Garage <details> [vu](https://ev.example) ![x](https://ev.example/x.png) @cap-actif/relecteurs www.ev.example"
    )
    bakery = project.path("offers/boulangerie-patisserie-ambert.yaml")
    text = bakery.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("titre:"))
    bakery.write_text(text.replace(title, "titre: '" + hostile + "'"), encoding="utf-8")
    out = project.run("diff", "--base", "main")
    assert out.returncode == 0, out.stderr
    summary = out.stdout
    assert (
        "- modifiée : **Garage &lt;details&gt; \\[vu\\](https:&#8203;//ev.example) \\!\\[x\\](https:&#8203;//ev.example/x.png) @&#8203;cap-actif/relecteurs www&#8203;.ev.example**"
        in summary
    )
    for raw in ("<details>", "[vu](", "![x]", " @cap-actif", "https://ev", " www.ev"):
        assert raw not in summary, raw


def test_diff_names_pages_images_and_settings_changes(project):
    project.write("pelicanconf.py", "SITENAME = 'Cap Actif'\n")
    _committed(project)
    page = project.path("content/pages/mentions-legales.md")
    page.write_text(page.read_text(encoding="utf-8") + "\nUn paragraphe de plus.\n", encoding="utf-8")
    project.write("content/pages/nouvelle.md", "Title: Une nouvelle page\nSlug: nouvelle\n\nTexte.\n")
    photo = project.path("content/images/offres/boulangerie-ambert.jpg")
    project.write("content/images/offres/copie.jpg", photo.read_bytes())
    project.write("pelicanconf.py", "SITENAME = 'Autre nom'\n")
    out = project.run("diff", "--base", "main")
    assert out.returncode == 0, out.stderr
    summary = out.stdout
    assert (
        "### Pages\n- ajoutée : **Une nouvelle page** (`content/pages/nouvelle.md`)\n"
        "- modifiée : **Mentions légales** (`content/pages/mentions-legales.md`)\n" in summary
    )
    assert "### Images\n- ajoutée : `content/images/offres/copie.jpg`\n" in summary
    assert "### Réglages et thème\n- modifié : `pelicanconf.py`\n" in summary


def test_diff_reads_the_folders_the_configuration_names(project):
    """A project whose offers live in annonces/ (TERRITOIRE_OFFRES_PATH) gets the same summary."""
    from territoire.build import read_settings
    from territoire.sitediff import summarize

    (project.root / "offers").rename(project.root / "annonces")
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    (project.root / "annonces" / "scierie-job.yaml").unlink()
    settings = read_settings(overrides={**project.overrides(), "TERRITOIRE_OFFRES_PATH": "annonces"})
    text, valid = summarize(settings, "main")
    assert valid, text
    assert "### Offres\n- supprimée : **Scierie" in text, text
    assert "ajoutée" not in text.split("### Offres", 1)[1].split("###", 1)[0], text
