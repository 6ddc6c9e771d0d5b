"""Safe YAML loading that keeps the position of every value.

Only plain data is accepted: mappings, sequences and the standard scalar tags. Anchors and
aliases are refused (they serve no purpose in a content file and allow "billion laughs"
bombs), as are application tags such as ``!!python/object``. Errors are raised as
``SourceError`` with a French message and a 1-based line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    _SafeBase = yaml.CSafeLoader  # libyaml: an order of magnitude faster
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _SafeBase = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
MAPPING_TAG = _TAG + "map"
SEQUENCE_TAG = _TAG + "seq"
STR_TAG = _TAG + "str"
_INT_TAG = _TAG + "int"
_UNREADABLE = object()
_SCALAR_CONSTRUCTORS = {
    _TAG + "int": yaml.constructor.SafeConstructor.construct_yaml_int,
    _TAG + "float": yaml.constructor.SafeConstructor.construct_yaml_float,
    _TAG + "bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    _TAG + "null": yaml.constructor.SafeConstructor.construct_yaml_null,
    _TAG + "timestamp": yaml.constructor.SafeConstructor.construct_yaml_timestamp,
}

_IMPLICIT = {
    first: tuple(resolvers) + tuple(yaml.SafeLoader.yaml_implicit_resolvers.get(None, []))
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    if first is not None
}


class _BaseLoader(_SafeBase):
    """The safe loader with a leaner tag resolver (it runs once per value: 5,000 offers make
    hundreds of thousands of calls). Same tags as SafeLoader; path resolvers are not used."""

    def resolve(self, kind: type, value: Any, implicit: tuple) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return STR_TAG
        return SEQUENCE_TAG if kind is yaml.SequenceNode else MAPPING_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class SourceError(Exception):
    def __init__(self, message: str, line: int = 0, column: int = 0, field: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.field = field


@dataclass
class Positions:
    """Position (line, column), 1-based, of each value by path: ("photos", 0, "alt")."""

    spots: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    raw: dict[tuple, str] = field(default_factory=dict)  # plain scalars' source text
    line_offset: int = 0  # lines before the YAML (front matter starts after `---`)
    first_line: str = ""  # the file's first line (offers start with the schema comment)
    # Text values cut short by « # » (YAML starts a comment there): path → (value, comment).
    comments: dict[tuple, tuple[str, str]] = field(default_factory=dict)

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


def _field_of(path: tuple) -> str:
    """The top-level field a value belongs to, for messages (« prix : … »)."""
    return str(path[0]) if path and isinstance(path[0], str) else ""


def _tag_error(tag: str, path: tuple, where: tuple[int, int]) -> SourceError:
    name = _field_of(path)
    prefix = f"{name} : " if name else ""
    return SourceError(
        f"{prefix}l'étiquette YAML « {_describe_tag(tag)} » n'est pas permise (seule une lecture sûre "
        "est faite) : n'écrivez que des valeurs simples (texte, nombre, date, oui/non), sans « !! » ni « ! ».",
        *where,
        field=name,
    )


# Content files nest two or three levels. libyaml's composer recurses in C once per level (a
# few hundred thousand « [ » crash the process) and ``build`` below in Python: deeper files
# are refused before composing, from the parser's events, which need no recursion.
MAX_DEPTH = 50


def _check_depth(text: str, line_offset: int) -> None:
    # Each level needs a « [ », a « { », a « - », a « ? » or one more space of indentation:
    # below this bound no file can be too deep, and the events are not read (the usual case).
    bound = sum(text.count(c) for c in "[{-?") + max(len(line) - len(line.lstrip(" ")) for line in text.split("\n"))
    if bound <= MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_SafeBase):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise SourceError(
                        f"le YAML imbrique plus de {MAX_DEPTH} niveaux de listes ou de champs ; un fichier de "
                        "contenu n'en a que deux ou trois : vérifiez les crochets « [ », les « - » et l'indentation.",
                        mark.line + 1 + line_offset,
                        mark.column + 1,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # a syntax error: composing reports it, with its position, below


# Some text, spaces, then « # »: the start of a YAML comment after a value.
_INLINE_COMMENT = re.compile(r"[ \t]+(#.*)")

TAB_MESSAGE = (
    "une tabulation a été trouvée ici ; remplacez la tabulation par des espaces "
    "(les champs s'alignent avec des espaces, jamais avec la touche Tab)."
)


def _first_tab(text: str, line_offset: int) -> SourceError | None:
    """A tab anywhere in the YAML: refused, pointing at it (YAML forbids tabs in indentation,
    and in a value a tab is invisible and never intended)."""
    index = text.find("\t")
    if index < 0:
        return None
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return SourceError(TAB_MESSAGE, line + line_offset, column)


def load(text: str, line_offset: int = 0) -> tuple[Any, Positions]:
    """Parse one YAML document; return its data and the positions of its values."""
    _check_depth(text, line_offset)
    if (tab := _first_tab(text, line_offset)) is not None:
        raise tab
    loader = _BaseLoader(text)
    positions = Positions(line_offset=line_offset)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 + line_offset if mark else 0
            column = mark.column + 1 if mark else 0
            source_line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
            layout = _layout_message(text.split("\n"), mark.line if mark else 0, exc)
            if layout:
                message, index, column = layout
                raise SourceError(message, index + 1 + line_offset, column) from None
            raise SourceError(_colon_message(source_line) or _syntax_message(exc), line, column) from None
        except yaml.reader.ReaderError as exc:  # a character YAML refuses anywhere (NUL, …)
            before = text[: exc.position]
            line = before.count("\n") + 1 + line_offset
            column = exc.position - (before.rfind("\n") + 1) + 1
            code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
            raise SourceError(
                f"le fichier contient un caractère de contrôle invisible (U+{code:04X}) ; retapez la ligne sans lui.",
                line,
                column,
            ) from None
        except yaml.YAMLError as exc:
            raise SourceError(f"le YAML ne peut pas être lu ({exc}).") from None
        if node is None:
            return None, positions
        seen: set[int] = set()
        spots = positions.spots
        # « titre: Boulangerie #1 du canton » publishes « Boulangerie »: the rest is a comment.
        # Only files with a « # » after some text are looked at (most have none).
        lines = text.split("\n") if _INLINE_COMMENT.search(text) else None
        raw = positions.raw
        ScalarNode, MappingNode = yaml.ScalarNode, yaml.MappingNode

        def pos(n: yaml.Node) -> tuple[int, int]:
            return n.start_mark.line + 1 + line_offset, n.start_mark.column + 1

        def build(n: yaml.Node, path: tuple) -> Any:
            # The hot loop of validation: plain strings first, few attribute look-ups.
            key_id = id(n)
            if key_id in seen:
                raise SourceError(
                    "les ancres et alias YAML (« & » et « * ») ne sont pas permis dans un "
                    "fichier de contenu : recopiez la valeur.",
                    *pos(n),
                )
            seen.add(key_id)
            mark = n.start_mark
            spots[path] = (mark.line + 1 + line_offset, mark.column + 1)
            tag = n.tag
            if type(n) is ScalarNode:
                if tag == STR_TAG:
                    if lines is not None and not n.style and n.end_mark.line == mark.line:
                        after = _INLINE_COMMENT.match(lines[mark.line], n.end_mark.column)
                        if after:
                            positions.comments[path] = (n.value, after.group(1).rstrip("\r"))
                    return n.value  # the common case, as SafeConstructor would return it
                constructor = _SCALAR_CONSTRUCTORS.get(tag)
                if constructor is None:
                    raise _tag_error(tag, path, pos(n))
                if not n.style:  # plain (libyaml gives "", the pure-Python parser None)
                    raw[path] = n.value
                try:
                    value = constructor(loader, n)
                except (ValueError, yaml.YAMLError):
                    value = _UNREADABLE  # a date that does not exist, or a number past Python's 4,300 digits
                if tag == _INT_TAG and (value is _UNREADABLE or value.bit_length() > 63):
                    name = _field_of(path)
                    raise SourceError(
                        f"{name + ' : ' if name else ''}un nombre de {len(n.value)} caractères n'est pas une "
                        "valeur possible ; attendu : un nombre raisonnable (ou un texte entre guillemets).",
                        *pos(n),
                        field=name,
                    )
                if value is _UNREADABLE:
                    name = _field_of(path)
                    prefix = f"{name} : " if name else ""
                    raise SourceError(
                        f"{prefix}« {n.value} » n'est pas une date qui existe ; attendu : une date "
                        "du calendrier au format AAAA-MM-JJ, par exemple 2026-10-01.",
                        *pos(n),
                        field=name,
                    ) from None
                return value
            if type(n) is MappingNode:
                if tag != MAPPING_TAG:
                    raise _tag_error(tag, path, pos(n))
                result: dict[Any, Any] = {}
                for key_node, value_node in n.value:
                    if type(key_node) is not ScalarNode or key_node.tag not in SCALAR_TAGS:
                        raise SourceError("une clé doit être un simple nom de champ.", *pos(key_node))
                    key = key_node.value
                    if key == "<<" or key_node.tag == _TAG + "merge":
                        raise SourceError("la fusion YAML « << » n'est pas permise.", *pos(key_node))
                    if key in result:
                        first = spots[("@key",) + path + (key,)][0]
                        raise SourceError(
                            f"le champ « {key} » est écrit deux fois (déjà en ligne {first}) : "
                            "gardez une seule ligne « " + key + ": … ».",
                            *pos(key_node),
                            field=key,
                        )
                    key_mark = key_node.start_mark
                    spots[("@key",) + path + (key,)] = (key_mark.line + 1 + line_offset, key_mark.column + 1)
                    result[key] = build(value_node, path + (key,))
                return result
            if tag != SEQUENCE_TAG:
                raise _tag_error(tag, path, pos(n))
            return [build(item, path + (i,)) for i, item in enumerate(n.value)]

        return build(node, ()), positions
    finally:
        loader.dispose()


_KEY_LINE = re.compile(r"( *)(?:- +)?([A-Za-z_][\w-]*):(?: +(.*))?")
_NO_SPACE = re.compile(r"([A-Za-z_][\w-]*):([^\s/].*)")
_BLOCK_START = re.compile(r"[A-Za-z_][\w-]*: *[|>][-+0-9]* *")
_SINGLE_QUOTED = re.compile(r"( *(?:- +)?)([A-Za-z_][\w-]*: +)?'(.*)'( *)")


def _layout_message(lines: list[str], index: int, exc: yaml.MarkedYAMLError) -> tuple[str, int, int] | None:
    """The French message, line index and column of the usual typing mistakes behind a YAML
    syntax error, which the parser's own wording does not explain: a field without a space
    after « : », a line of a multi-line text not indented, an apostrophe inside a text between
    apostrophes, a field indented under another one. None when it is none of them."""
    lines = [line.rstrip("\r") for line in lines]
    for number, line in enumerate(lines[: index + 1]):  # « prix:150000 »: one word, not a field
        if (match := _NO_SPACE.fullmatch(line)) and "://" not in line:
            key, value = match.groups()
            return (
                f"erreur de syntaxe YAML : il manque une espace après « {key}: » ; écrivez « {key}: {value} » "
                "(une espace après les deux-points).",
                number,
                len(key) + 2,
            )
    current = lines[index] if index < len(lines) else ""
    quoted = _SINGLE_QUOTED.fullmatch(current)
    if quoted and "'" in quoted.group(3).replace("''", ""):
        prefix, key, value = quoted.group(1), quoted.group(2) or "", quoted.group(3)
        where = f"la valeur de « {key.split(':')[0]} »" if key else "cet élément de liste"
        fixed = value.replace('"', '\\"')
        return (
            f"erreur de syntaxe YAML : {where} est entre apostrophes et contient elle-même une apostrophe, "
            f'qui la termine trop tôt : mettez-la entre guillemets droits, ainsi : {prefix.strip() + " " if prefix.strip() else ""}{key}"{fixed}"',
            index,
            len(prefix) + len(key) + 1,
        )
    previous = next((n for n in range(min(index, len(lines)) - 1, -1, -1) if lines[n].strip()), None)
    if previous is None:
        return None
    # A line of a « description: | » text written without its indentation (the parser stops
    # on it, or on the line after it).
    for number in (index, index - 1):
        line = lines[number] if 0 <= number < len(lines) else ""
        if not line.strip() or line.startswith((" ", "#", "-")) or ":" in line:
            continue
        top = next((n for n in range(number - 1, -1, -1) if lines[n][:1] not in (" ", "")), None)
        if top is not None and _BLOCK_START.fullmatch(lines[top]):
            return (
                f"erreur de syntaxe YAML : la ligne « {line.strip()[:40]} » fait partie du texte de "
                f"« {lines[top].split(':')[0]} » mais ne commence pas par des espaces ; chaque ligne d'un texte "
                "sur plusieurs lignes commence par deux espaces : ajoutez-les au début de la ligne.",
                number,
                1,
            )
        break
    above, here = _KEY_LINE.fullmatch(lines[previous]), _KEY_LINE.fullmatch(current)
    if "mapping values are not allowed" in (exc.problem or "") and above and here and above.group(3):
        if len(here.group(1)) > len(above.group(1)) and not lines[previous].lstrip().startswith("-"):
            return (
                f"erreur de syntaxe YAML : la ligne « {current.strip()[:40]} » est plus décalée vers la droite "
                f"que « {lines[previous].strip()[:40]} » au-dessus, qui a déjà sa valeur : alignez "
                f"« {here.group(2)}: » sur « {above.group(2)}: » (le même nombre d'espaces en début de ligne).",
                index,
                1,
            )
    return None


def _colon_message(line: str) -> str | None:
    """A value holding « : » (« titre: Boulangerie : reprise ») reads as a second field: say to
    put the text in quotes, and show the line as it should be written."""
    match = re.fullmatch(r"(\s*(?:-\s+)?)([\w-]+:\s+)?(.*?)\s*", line.rstrip("\r"))
    if not match or ": " not in match.group(3) + " " or match.group(3)[:1] in "\"'|>[{":
        return None
    prefix, key, value = match.group(1), match.group(2) or "", match.group(3)
    if not key and not prefix.strip():
        return None
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    where = f"la valeur de « {key.split(':')[0]} »" if key else "cet élément de liste"
    return (
        f"{where} contient « : » (deux-points suivi d'une espace), qui sépare d'habitude un champ de sa "
        f"valeur : mettez le texte entre guillemets, ainsi : {prefix.strip() + ' ' if prefix.strip() else ''}{key}{quoted}"
    )


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    hints = {
        "could not find expected ':'": "il manque « : » après un nom de champ (ou des guillemets ne sont pas refermés)",
        "mapping values are not allowed": (
            "un « : » est mal placé ; si la valeur contient « : », mettez-la entre guillemets"
        ),
        "found undefined alias": "un alias « * » désigne une ancre qui n'existe pas",
        "did not find expected key": "l'indentation n'est pas cohérente (alignez les champs sur la même colonne)",
        "found unexpected end of stream": "des guillemets ouverts ne sont pas refermés",
        "expected <block end>, but found '-'": "un élément de liste « - » est mal indenté",
        "did not find expected ',' or ']'": "une liste ouverte par « [ » n'est pas refermée par « ] » (ou il manque une virgule entre deux éléments)",
        "did not find expected ',' or '}'": "des accolades « { » ne sont pas refermées par « } » (ou il manque une virgule)",
        "did not find expected '-' indicator": "un élément de liste « - » est mal indenté",
        "did not find expected node content": "une valeur manque ou commence par un caractère réservé ; mettez-la entre guillemets",
        "found character that cannot start any token": (
            "une valeur commence par un caractère réservé (@, `, %, |, >…) ; mettez-la entre guillemets"
        ),
        "found unknown escape character": "une barre oblique inverse « \\ » entre guillemets doubles ; utilisez des guillemets simples",
        "found invalid Unicode character escape code": (
            "un code « \\u… » entre guillemets doubles n'est pas un caractère (une moitié de paire, comme « \\ud800 ») ; "
            "écrivez le caractère lui-même"
        ),
        "control characters are not allowed": "le fichier contient un caractère de contrôle invisible ; retapez la ligne",
        "found unexpected ':'": "un « : » est mal placé ; mettez la valeur entre guillemets",
    }
    for english, french in hints.items():
        if english in problem:
            return f"erreur de syntaxe YAML : {french}."
    if "expected a single document" in (exc.context or ""):
        return "erreur de syntaxe YAML : le fichier contient plusieurs documents (« --- »)."
    # The parser's own wording is English and technical: the partner gets what to look at.
    return (
        "erreur de syntaxe YAML à cet endroit : vérifiez que les champs de même niveau commencent "
        "tous au même nombre d'espaces, qu'une espace suit chaque « : » et que les guillemets sont refermés."
    )
