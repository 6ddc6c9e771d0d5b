"""Problems found in content files: errors stop the build, warnings do not."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the project root, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the file as a whole
    column: int
    message: str  # in French, for partner staff
    field: str = ""
    level: str = "erreur"  # "erreur" or "avertissement"

    def location(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path

    def __str__(self) -> str:
        prefix = "" if self.level == "erreur" else "avertissement : "
        return f"{self.location()} — {prefix}{self.message}"

    def as_dict(self) -> dict:
        return {
            "fichier": self.path,
            "ligne": self.line,
            "colonne": self.column,
            "champ": self.field,
            "niveau": self.level,
            "message": self.message,
        }


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "erreur"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level != "erreur"]

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.path, p.line, p.column, p.message))
