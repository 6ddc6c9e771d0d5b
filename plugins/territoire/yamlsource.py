"""Safe YAML loading that keeps the position of every value.

Only plain data is accepted: mappings, sequences and the standard scalar tags. Anchors and
aliases are refused (they serve no purpose in a content file and allow "billion laughs"
bombs), as are application tags such as ``!!python/object``. Errors are raised as
``SourceError`` with a French message and a 1-based line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    _BaseLoader = yaml.CSafeLoader  # libyaml: an order of magnitude faster
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
MAPPING_TAG = _TAG + "map"
SEQUENCE_TAG = _TAG + "seq"
STR_TAG = _TAG + "str"
_SCALAR_CONSTRUCTORS = {
    _TAG + "int": yaml.constructor.SafeConstructor.construct_yaml_int,
    _TAG + "float": yaml.constructor.SafeConstructor.construct_yaml_float,
    _TAG + "bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    _TAG + "null": yaml.constructor.SafeConstructor.construct_yaml_null,
    _TAG + "timestamp": yaml.constructor.SafeConstructor.construct_yaml_timestamp,
}


class SourceError(Exception):
    def __init__(self, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Positions:
    """Position (line, column), 1-based, of each value by path: ("photos", 0, "alt")."""

    spots: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    raw: dict[tuple, str] = field(default_factory=dict)  # plain scalars' source text
    line_offset: int = 0  # lines before the YAML (front matter starts after `---`)
    first_line: str = ""  # the file's first line (offers start with the schema comment)

    def of(self, *path: Any) -> tuple[int, int]:
        while path:
            if path in self.spots:
                return self.spots[path]
            path = path[:-1]
        return self.spots.get((), (1 + self.line_offset, 1))

    def key_of(self, *path: Any) -> tuple[int, int]:
        """Position of a mapping key (where a partner reads the field name)."""
        return self.spots.get(("@key",) + path) or self.of(*path)


def _describe_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def load(text: str, line_offset: int = 0) -> tuple[Any, Positions]:
    """Parse one YAML document; return its data and the positions of its values."""
    loader = _BaseLoader(text)
    positions = Positions(line_offset=line_offset)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 + line_offset if mark else 0
            column = mark.column + 1 if mark else 0
            raise SourceError(_syntax_message(exc), line, column) from None
        except yaml.YAMLError as exc:
            raise SourceError(f"le YAML ne peut pas être lu ({exc}).") from None
        if node is None:
            return None, positions
        seen: set[int] = set()

        def pos(n: yaml.Node) -> tuple[int, int]:
            return n.start_mark.line + 1 + line_offset, n.start_mark.column + 1

        def build(n: yaml.Node, path: tuple) -> Any:
            if id(n) in seen:
                raise SourceError(
                    "les ancres et alias YAML (« & » et « * ») ne sont pas permis dans un "
                    "fichier de contenu : recopiez la valeur.",
                    *pos(n),
                )
            seen.add(id(n))
            positions.spots[path] = pos(n)
            if isinstance(n, yaml.MappingNode):
                if n.tag != MAPPING_TAG:
                    raise SourceError(f"l'étiquette YAML « {_describe_tag(n.tag)} » n'est pas permise.", *pos(n))
                result: dict[Any, Any] = {}
                for key_node, value_node in n.value:
                    if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in SCALAR_TAGS:
                        raise SourceError("une clé doit être un simple nom de champ.", *pos(key_node))
                    if key_node.tag == _TAG + "merge" or key_node.value == "<<":
                        raise SourceError("la fusion YAML « << » n'est pas permise.", *pos(key_node))
                    key = key_node.value
                    if key in result:
                        raise SourceError(f"le champ « {key} » est écrit deux fois.", *pos(key_node))
                    positions.spots[("@key",) + path + (key,)] = pos(key_node)
                    result[key] = build(value_node, path + (key,))
                return result
            if isinstance(n, yaml.SequenceNode):
                if n.tag != SEQUENCE_TAG:
                    raise SourceError(f"l'étiquette YAML « {_describe_tag(n.tag)} » n'est pas permise.", *pos(n))
                return [build(item, path + (i,)) for i, item in enumerate(n.value)]
            if n.tag not in SCALAR_TAGS:
                raise SourceError(
                    f"l'étiquette YAML « {_describe_tag(n.tag)} » n'est pas permise : "
                    "n'écrivez que des valeurs simples (texte, nombre, date, oui/non).",
                    *pos(n),
                )
            if n.tag == STR_TAG:
                return n.value  # the common case, as SafeConstructor would return it
            if n.style is None:
                positions.raw[path] = n.value
            try:
                return _SCALAR_CONSTRUCTORS[n.tag](loader, n)
            except (ValueError, yaml.YAMLError):
                raise SourceError(
                    f"« {n.value} » n'est pas une date qui existe (format attendu : AAAA-MM-JJ).",
                    *pos(n),
                ) from None

        return build(node, ()), positions
    finally:
        loader.dispose()


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    hints = {
        "could not find expected ':'": "il manque « : » après un nom de champ",
        "mapping values are not allowed here": (
            "un « : » est mal placé ; si la valeur contient « : », mettez-la entre guillemets"
        ),
        "found character '\\t' that cannot start any token": (
            "une tabulation a été trouvée : utilisez des espaces pour l'indentation"
        ),
        "found undefined alias": "un alias « * » désigne une ancre qui n'existe pas",
        "did not find expected key": "l'indentation n'est pas cohérente",
        "found unexpected end of stream": "des guillemets ouverts ne sont pas refermés",
        "expected <block end>, but found '-'": "un élément de liste « - » est mal indenté",
    }
    for english, french in hints.items():
        if english in problem:
            return f"erreur de syntaxe YAML : {french}."
    if "expected a single document" in (exc.context or ""):
        return "erreur de syntaxe YAML : le fichier contient plusieurs documents (« --- »)."
    return f"erreur de syntaxe YAML : {problem or exc.context or 'structure invalide'}."
