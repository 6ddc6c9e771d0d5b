"""Printing validation reports: text for people, GitHub annotations, JSON for machines."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import TextIO

from .escaping import visible
from .formats import plural
from .problems import Report


def _data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property (the file name): « : » and « , » would end it (escapeProperty)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def print_report(
    report: Report, fmt: str = "texte", stream: TextIO | None = None, checked: int | None = None, strict: bool = False
) -> None:
    """Every problem, then one line saying whether the content passes (✔) or not (✘): with
    ``strict``, warnings count as errors, so ✔ is never printed on an exit code of 1."""
    out = stream or sys.stdout
    # A file name or a YAML key may hold a newline or a terminal escape: printed as escapes, so
    # no report line can be forged, in any format.
    problems = [
        dataclasses.replace(p, path=visible(p.path), message=visible(p.message), field=visible(p.field))
        for p in report.sorted()
    ]
    if fmt == "json":
        json.dump([p.as_dict() for p in problems], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    for p in problems:
        if fmt == "github":
            kind = "error" if p.level == "erreur" else "warning"
            out.write(f"::{kind} file={_property(p.path)},line={p.line or 1},col={p.column or 1}::{_data(p.message)}\n")
        else:
            out.write(f"{p}\n")
    if fmt == "github":
        return
    errors, warnings = len(report.errors), len(report.warnings)
    files = len({p.path for p in report.errors})
    what = f"{plural(checked, 'fichier vérifié', 'fichiers vérifiés')} : " if checked is not None else ""
    if errors:
        out.write(
            f"✘ {what}{plural(errors, 'erreur')} dans {plural(files, 'fichier')}, {plural(warnings, 'avertissement')}. Corrigez les erreurs puis relancez.\n"
        )
    elif strict and warnings:
        out.write(
            f"✘ {what}aucune erreur, mais {plural(warnings, 'avertissement')}, qui {'compte' if warnings == 1 else 'comptent'} comme des erreurs avec --strict. Corrigez-les puis relancez.\n"
        )
    else:
        out.write(f"✔ {what}aucune erreur, {plural(warnings, 'avertissement')}.\n")
