"""`invoke diff`: what a change does to the public site, as a short Markdown summary."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from . import fields as f
from . import formats, lifecycle
from .escaping import markdown_text as md
from .escaping import visible
from .load import communes_file
from .models import EVENEMENT, OFFRE, PARTENAIRE, STATUTS, Model
from .problems import Problem
from .site import Site


def _export(root: Path, rev: str, dest: Path, folders: list[str]) -> None:
    """Extract the content folders of revision ``rev`` (relative to ``root``) into ``dest``."""
    archive = subprocess.run(["git", "archive", "--format=tar", rev, "--", *folders], cwd=root, capture_output=True)
    if archive.returncode != 0:
        raise ValueError(
            f"la révision « {rev} » est introuvable dans le dépôt git ({archive.stderr.decode(errors='replace').strip()})."
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")


def _site_at(settings: dict[str, Any], root: Path, content: str, communes: Path) -> Site:
    """The content exported in ``root``, read with the project's own reference data (the
    communes table ``communes`` is not part of the export)."""
    from .build import check

    overrides = {
        **settings,
        "PATH": str(root / content),
        "TERRITOIRE_ROOT": str(root),
        "TERRITOIRE_COMMUNES_CSV": str(communes),
    }
    return check(overrides)


def _code(text: str) -> str:
    """``text`` as a Markdown code span, whatever backticks it holds (shown as it is, on one line)."""
    text = visible(text)
    longest = max((len(r) for r in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _shown(field: f.Field, value: Any) -> str:
    return "(vide)" if value is None else field.shown_value(value)


def _changes(model: Model, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """One line per field that differs: short values before → after, long ones named only."""
    lines = []
    for name, field in model.fields.items():
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if field.long_value or max(len(str(before or "")), len(str(after or ""))) > 80:
            what = "ajouté" if before is None else "retiré" if after is None else "modifié"
            lines.append(f"  - {name} : {what}")
        else:
            lines.append(f"  - {name} : {md(_shown(field, before))} → {md(_shown(field, after))}")
    return lines


def _warning_key(problem: Problem) -> tuple[str, str, str]:
    # Lines move when a file is edited: a warning is "the same" on the same file, field and text.
    return problem.path, problem.field, problem.message


# The build's outcome in a pull request's check (GitHub Actions' step outcomes) → its line.
BUILD_LINES = {
    "success": "- ✔ site construit : il est joint à la vérification (artefact « site-construit »).",
    "failure": (
        "- ✘ **la construction du site a échoué**, alors que le contenu est valide : rien ne sera publié tant "
        "qu'elle échoue. Le journal de l'étape « Construire le site » (onglet « Checks » de la demande) dit "
        "pourquoi ; transmettez-le à la coordination du site si le message ne parle pas d'un de vos fichiers."
    ),
    "skipped": "- la construction du site n'a pas été lancée : corrigez d'abord les erreurs ci-dessus.",
}
# The same on GitLab (.gitlab-ci.yml sets GITLAB_CI): its artifact and its job's log.
GITLAB_BUILD_LINES = {
    **BUILD_LINES,
    "success": "- ✔ site construit : il est joint à la vérification (artefacts du job « verifier »).",
    "failure": BUILD_LINES["failure"].replace(
        "Le journal de l'étape « Construire le site » (onglet « Checks » de la demande)",
        "Le journal du job « verifier » (onglet « Pipelines » de la demande)",
    ),
}


def summarize(settings: dict[str, Any], base: str, construction: str | None = None) -> tuple[str, bool]:
    """Markdown summary of the working tree against ``base``; and whether content is valid.
    ``construction``: the build's outcome in a pull request's check (BUILD_LINES), if known."""
    from .build import check

    now = check(settings)
    root = now.config.ROOT.resolve()
    # The folders the configuration names, relative to the project (content/, offers/).
    content = Path(now.config.PATH).resolve().relative_to(root).as_posix()
    with tempfile.TemporaryDirectory() as tmp:
        _export(root, base, Path(tmp), [content, now.config.TERRITOIRE_OFFRES_PATH])
        before = _site_at(settings, Path(tmp), content, communes_file(now.config))
        old_images = _images(Path(tmp) / content)  # as _export writes it
    new_images = _images(Path(now.config.PATH).resolve())

    lines = [f"## Effet de la modification sur le site (par rapport à `{base}`)", ""]
    old = {o.slug: o for o in before.offers}
    new = {o.slug: o for o in now.offers}
    added = [new[s] for s in sorted(new.keys() - old.keys())]
    removed = [old[s] for s in sorted(old.keys() - new.keys())]
    status = [(old[s], new[s]) for s in sorted(old.keys() & new.keys()) if old[s].statut != new[s].statut]
    changed = [(old[s], new[s]) for s in sorted(old.keys() & new.keys()) if old[s].data != new[s].data]
    lines.append("### Offres")
    if not (added or removed or status or changed):
        lines.append("- aucune offre ajoutée, retirée ou modifiée")
    # An offer dated in the future appears on that day only: the summary says when.
    lines += [
        f"- programmée le {formats.date(o.publiee_le)} : **{md(o.titre)}** ({md(o.reference)}) — {_code('/' + o.url)}, en ligne à cette date"
        if lifecycle.is_future(o, now.build_date)
        else f"- ajoutée : **{md(o.titre)}** ({md(o.reference)}) — {_code('/' + o.url)}"
        for o in added
    ]
    lines += [f"- supprimée : **{md(o.titre)}** ({md(o.reference)}) — sa page disparaît" for o in removed]
    lines += [
        f"- statut changé : **{md(b.titre)}** ({md(b.reference)}) : {STATUTS[a.statut]} → {STATUTS[b.statut]}"
        for a, b in status
    ]
    for a, b in changed:
        details = (
            _changes(OFFRE, {**a.data, "statut": b.statut}, b.data)
            if a.statut != b.statut
            else _changes(OFFRE, a.data, b.data)
        )
        if details:
            lines += [f"- modifiée : **{md(b.titre)}** ({md(b.reference)})", *details]
    for title, old_items, new_items, name, model in (
        ("Événements", {e.slug: e for e in before.events}, {e.slug: e for e in now.events}, "titre", EVENEMENT),
        ("Partenaires", before.partners, now.partners, "nom", PARTENAIRE),
    ):
        lines += ["", f"### {title}"]
        diff = [
            f"- ajouté : **{md(getattr(new_items[s], name))}**" for s in sorted(new_items.keys() - old_items.keys())
        ]
        diff += [
            f"- supprimé : **{md(getattr(old_items[s], name))}**" for s in sorted(old_items.keys() - new_items.keys())
        ]
        for s in sorted(old_items.keys() & new_items.keys()):
            if old_items[s].data != new_items[s].data:
                diff += [
                    f"- modifié : **{md(getattr(new_items[s], name))}**",
                    *_changes(model, old_items[s].data, new_items[s].data),
                ]
        lines += diff or ["- aucun changement"]
    lines += ["", "### Pages", *(_page_lines(before, now) or ["- aucun changement"])]
    lines += ["", "### Images", *(_file_lines(old_images, new_images, "content/images/") or ["- aucun changement"])]
    settings_changed = _settings_changed(root, base)
    lines += ["", "### Réglages et thème"]
    lines += [f"- modifié : {_code(name)}" for name in settings_changed] or ["- aucun changement"]
    lines += ["", "### Vérification", *_check_lines(before, now)]
    if construction in BUILD_LINES:
        lines.append((GITLAB_BUILD_LINES if os.environ.get("GITLAB_CI") == "true" else BUILD_LINES)[construction])
    return "\n".join(lines) + "\n", not now.report.errors


def _page_lines(before: Site, now: Site) -> list[str]:
    """Pages of content/pages/ added, removed or changed (by file), with their titles."""
    old = {p.relative: p for p in before.pages}
    new = {p.relative: p for p in now.pages}

    def title(page) -> str:
        return md(page.meta.get("title", ("(sans titre)", 0))[0])

    lines = [
        f"- ajoutée : **{title(new[r])}** ({_code('content/pages/' + r)})" for r in sorted(new.keys() - old.keys())
    ]
    lines += [
        f"- supprimée : **{title(old[r])}** ({_code('content/pages/' + r)}) — sa page disparaît"
        for r in sorted(old.keys() - new.keys())
    ]
    lines += [
        f"- modifiée : **{title(new[r])}** ({_code('content/pages/' + r)})"
        for r in sorted(old.keys() & new.keys())
        if old[r].text != new[r].text
    ]
    return lines


def _images(folder: Path) -> dict[str, str]:
    """Each file of the images folder (``folder``/images) by its path there, with a digest of its bytes."""
    images = folder / "images"
    if not images.is_dir():
        return {}
    return {
        p.relative_to(images).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in images.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def _file_lines(old: dict[str, str], new: dict[str, str], prefix: str) -> list[str]:
    lines = [f"- ajoutée : {_code(prefix + n)}" for n in sorted(new.keys() - old.keys())]
    lines += [f"- supprimée : {_code(prefix + n)}" for n in sorted(old.keys() - new.keys())]
    lines += [f"- remplacée : {_code(prefix + n)}" for n in sorted(old.keys() & new.keys()) if old[n] != new[n]]
    return lines


# Files of the project that change the whole site: its settings, its theme overrides, the kit
# version it installs (requirements.txt) and, in the kit's own repository, the kit itself.
SETTINGS_FILES = ("pelicanconf.py", "publishconf.py", "theme", "requirements.txt", "plugins")


def _settings_changed(root: Path, base: str) -> list[str]:
    """Settings and theme files that differ between ``base`` and the working tree."""
    done = subprocess.run(
        ["git", "diff", "--name-only", "-z", base, "--", *SETTINGS_FILES], cwd=root, capture_output=True
    )
    return sorted(name for name in done.stdout.decode("utf-8", "replace").split("\0") if name)


def _check_lines(before: Site, now: Site) -> list[str]:
    """Errors, then the warnings this change brings, apart from those that were there before."""
    errors = now.report.errors
    lines = []
    if errors:
        lines.append(
            f"- ✘ **{formats.plural(len(errors), 'erreur')}** : le site ne sera pas publié tant qu'elles ne sont pas corrigées."
        )
        lines += [f"  - {_code(p.location())} — {md(p.message)}" for p in now.report.sorted() if p.level == "erreur"][
            :20
        ]
        if len(errors) > 20:
            lines.append(
                f"  - … et {formats.plural(len(errors) - 20, 'autre erreur', 'autres erreurs')} : la liste complète est dans "
                "le journal de l'étape « Vérifier le contenu » (onglet « Checks »)."
            )
    else:
        lines.append("- ✔ contenu valide.")
    old = {_warning_key(p) for p in before.report.warnings}
    warnings = [p for p in now.report.sorted() if p.level != "erreur"]
    fresh = [p for p in warnings if _warning_key(p) not in old]
    if fresh:
        one = len(fresh) == 1
        lines.append(
            f"- {formats.plural(len(fresh), 'nouvel avertissement', 'nouveaux avertissements')} {'apporté' if one else 'apportés'} par la modification :"
        )
        lines += [f"  - {_code(p.location())} — {md(p.message)}" for p in fresh][:20]
    else:
        lines.append("- aucun nouvel avertissement.")
    if kept := len(warnings) - len(fresh):
        lines.append(
            f"- {formats.plural(kept, 'avertissement')} déjà {'présent' if kept == 1 else 'présents'} avant la modification."
        )
    return lines
