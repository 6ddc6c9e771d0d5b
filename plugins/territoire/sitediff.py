"""`invoke diff`: what a change does to the public site, as a short Markdown summary."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from .models import STATUTS
from .site import Site, load_site


def _export(root: Path, rev: str, dest: Path) -> None:
    """Extract the content folders of revision ``rev`` into ``dest``."""
    archive = subprocess.run(["git", "archive", "--format=tar", rev, "--", "offers", "content"], cwd=root, capture_output=True)
    if archive.returncode != 0:
        raise ValueError(f"la révision « {rev} » est introuvable dans le dépôt git ({archive.stderr.decode(errors='replace').strip()}).")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")


def _site_at(settings: dict[str, Any], root: Path) -> Site:
    overrides = {**settings, "PATH": str(root / "content"), "TERRITOIRE_ROOT": str(root)}
    return load_site(overrides)


def summarize(settings: dict[str, Any], base: str) -> tuple[str, bool]:
    """Markdown summary of the working tree against ``base``; and whether content is valid."""
    root = Path(settings.get("TERRITOIRE_ROOT") or Path(settings["PATH"]).parent)
    now = load_site(settings)
    with tempfile.TemporaryDirectory() as tmp:
        _export(root, base, Path(tmp))
        before = _site_at(settings, Path(tmp))

    lines = [f"## Effet de la modification sur le site (par rapport à `{base}`)", ""]
    old = {o.slug: o for o in before.offers}
    new = {o.slug: o for o in now.offers}
    added = [new[s] for s in sorted(new.keys() - old.keys())]
    removed = [old[s] for s in sorted(old.keys() - new.keys())]
    status = [(old[s], new[s]) for s in sorted(old.keys() & new.keys()) if old[s].statut != new[s].statut]
    changed = [new[s] for s in sorted(old.keys() & new.keys()) if old[s].data != new[s].data and old[s].statut == new[s].statut]
    lines.append("### Offres")
    if not (added or removed or status or changed):
        lines.append("- aucune offre ajoutée, retirée ou modifiée")
    lines += [f"- ajoutée : **{o.titre}** ({o.reference}) — `/{o.url}`" for o in added]
    lines += [f"- supprimée : **{o.titre}** ({o.reference}) — sa page disparaît" for o in removed]
    lines += [f"- statut changé : **{b.titre}** ({b.reference}) : {STATUTS[a.statut]} → {STATUTS[b.statut]}" for a, b in status]
    lines += [f"- modifiée : **{o.titre}** ({o.reference})" for o in changed]
    for title, old_items, new_items, name in (
        ("Événements", {e.slug: e for e in before.events}, {e.slug: e for e in now.events}, "titre"),
        ("Partenaires", before.partners, now.partners, "nom"),
    ):
        lines += ["", f"### {title}"]
        diff = [f"- ajouté : **{getattr(new_items[s], name)}**" for s in sorted(new_items.keys() - old_items.keys())]
        diff += [f"- supprimé : **{getattr(old_items[s], name)}**" for s in sorted(old_items.keys() - new_items.keys())]
        diff += [f"- modifié : **{getattr(new_items[s], name)}**" for s in sorted(old_items.keys() & new_items.keys()) if old_items[s].data != new_items[s].data]
        lines += diff or ["- aucun changement"]
    errors, warnings = now.report.errors, now.report.warnings
    lines += ["", "### Vérification"]
    if errors:
        lines.append(f"- ✘ **{len(errors)} erreur(s)** : le site ne sera pas publié tant qu'elles ne sont pas corrigées.")
        lines += [f"  - `{p.location()}` — {p.message}" for p in now.report.sorted() if p.level == "erreur"][:20]
    else:
        lines.append(f"- ✔ contenu valide ({len(warnings)} avertissement(s)).")
    return "\n".join(lines) + "\n", not errors
