"""Read one YAML file of the knowledge base, remembering the line of every value.

Admins edit these files by hand, so every problem must point at a line. PyYAML's node graph
carries line marks; we build plain Python data from it ourselves and keep a map from the path of
each value (``("nodes", "citizenship", "options", 1, "label")``) to its 1-based line.

On the way we refuse what makes hand-edited YAML dangerous or confusing, as problems rather than
exceptions, so one run reports them all:

* duplicate keys (PyYAML silently keeps the last one);
* anchors and aliases (the "billion laughs" bomb; and nobody needs them in this base);
* nesting deeper than :data:`MAX_DEPTH`, files larger than :data:`MAX_BYTES`, invalid UTF-8;
* YAML 1.1 booleans: ``yes``/``no``/``on``/``off`` stay strings (an answer id ``no`` must not
  become ``False``); only ``true``/``false`` are booleans.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.problems import Problem

MAX_BYTES = 2_000_000
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader whose booleans are only ``true``/``false`` (YAML 1.2 style).

    It also notes where anchors and aliases appear, which the node graph does not keep.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self.anchor_lines: list[int] = []
        self.alias_lines: list[int] = []
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.alias_lines.append(event.start_mark.line + 1)
        elif getattr(event, "anchor", None):
            self.anchor_lines.append(event.start_mark.line + 1)
        # PyYAML composes recursively: stop at the limit, long before Python's recursion limit
        # (a file nested 100,000 levels deep must be a problem with a line, not a traceback).
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(f"nested deeper than {MAX_DEPTH} levels")
        self.line = mark.line + 1


# Rebuild the implicit resolvers without the YAML 1.1 bool forms (yes/no/on/off).
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class YamlDocument:
    """The data of one file plus the line of every value in it."""

    path: Path
    data: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, location: Path_) -> int:
        """Line of the value at ``location`` or of its nearest parent that has one."""
        for end in range(len(location), -1, -1):
            found = self.lines.get(tuple(location[:end]))
            if found is not None:
                return found
        return 1


def read_yaml(path: Path, display: str, problems: list[Problem]) -> YamlDocument:
    """Parse ``path``; append every problem found to ``problems`` (``display`` names the file)."""
    document = YamlDocument(path=path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(display, 1, "", f"cannot read the file: {error.strerror}"))
        return document
    if len(raw) > MAX_BYTES:
        problems.append(
            Problem(display, 1, "", f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")
        )
        return document
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(display, line, "", "not valid UTF-8: save the file as UTF-8"))
        return document
    text = text.removeprefix("\ufeff")
    for number, content in enumerate(text.splitlines(), start=1):
        indent = content[: len(content) - len(content.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(Problem(display, number, "", "tab used for indentation; use spaces"))
            return document

    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        problems.append(Problem(display, line, "", f"character {error.character!r} is not "
                                                   "allowed in YAML; delete it"))
        return document
    try:
        root = loader.get_single_node()
    except _TooDeep as error:
        problems.append(Problem(display, error.line, "", str(error)))
        return document
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        message = error.problem or str(error)
        if error.context:
            message = f"{error.context}, {message}"
        problems.append(Problem(display, line, "", f"YAML syntax error: {message}"))
        return document
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        problems.append(Problem(display, line, "", f"character {error.character!r} is not "
                                                   "allowed in YAML; delete it"))
        return document
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML raises marked errors in practice
        problems.append(Problem(display, 1, "", f"YAML syntax error: {error}"))
        return document
    finally:
        loader.dispose()

    for line in loader.anchor_lines:
        problems.append(Problem(display, line, "", "YAML anchors (&name) are not allowed here"))
    for line in loader.alias_lines:
        problems.append(Problem(display, line, "", "YAML aliases (*name) are not allowed here"))
    if root is None:
        return document
    builder = _Builder(loader, display, document, problems)
    document.data = builder.build(root, (), 0)
    return document


class _Builder:
    """Turns a PyYAML node graph into Python data, recording lines and problems."""

    def __init__(
        self, loader: _Loader, display: str, document: YamlDocument, problems: list[Problem]
    ):
        self.loader = loader
        self.display = display
        self.document = document
        self.problems = problems
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, location: Path_, depth: int) -> Any:
        line = node.start_mark.line + 1
        self.document.lines[location] = line
        where = _dotted(location)
        if depth > MAX_DEPTH:
            self.problems.append(
                Problem(self.display, line, where, f"nested deeper than {MAX_DEPTH} levels")
            )
            return None
        # The same node object reached twice means an alias (*name) pointed at an anchor; it is
        # reported above, and never expanded (that is how a "billion laughs" bomb explodes).
        if id(node) in self.seen:
            return None
        self.seen.add(id(node))

        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, location, depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, (*location, index), depth + 1)
                for index, item in enumerate(node.value)
            ]
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            self.problems.append(Problem(self.display, line, where, f"bad value: {error.problem}"))
            return None
        except (ValueError, OverflowError) as error:  # e.g. the date 2026-02-30
            self.problems.append(Problem(self.display, line, where, f"bad value: {error}"))
            return None

    def _mapping(self, node: yaml.MappingNode, location: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(
                        self.display,
                        key_node.start_mark.line + 1,
                        _dotted(location),
                        "YAML merge keys (<<) are not allowed here",
                    )
                )
                continue
            key = self.build(key_node, (*location, "<key>"), depth + 1)
            if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
                self.problems.append(
                    Problem(
                        self.display,
                        key_node.start_mark.line + 1,
                        _dotted(location),
                        "a key must be a plain word or number",
                    )
                )
                continue
            if key in result:
                self.problems.append(
                    Problem(
                        self.display,
                        key_node.start_mark.line + 1,
                        _dotted((*location, key)),
                        f"duplicate key {key!r} (first on line "
                        f"{self.document.lines.get((*location, key), '?')})",
                    )
                )
                continue
            result[key] = self.build(value_node, (*location, key), depth + 1)
            # A field is reported at its key's line ("orphan:"), not where its value starts.
            self.document.lines[(*location, key)] = key_node.start_mark.line + 1
        self.document.lines.pop((*location, "<key>"), None)
        return result


def _dotted(location: Path_) -> str:
    """``("nodes", "q", "options", 1, "label")`` → ``nodes.q.options[1].label``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


dotted = _dotted
