"""Load the knowledge base from a folder, reporting every problem at once.

Usage::

    from knowledge import load_knowledge, check_knowledge
    kb = load_knowledge()                       # the packaged base; raises KnowledgeError
    kb, problems = check_knowledge("my/base")   # kb is None when there are problems

Each file is parsed with line numbers (:mod:`knowledge.yamlsource`), each entry is checked
against its model (:mod:`knowledge.schema`) on its own, so one broken entry does not hide the
problems of its neighbours, and then the whole base is checked across files
(:mod:`knowledge.checks`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from knowledge import checks
from knowledge.clock import today_kz
from knowledge.model import KnowledgeBase
from knowledge.problems import KnowledgeError, Problem
from knowledge.schema import (
    DeadlinesFile,
    Document,
    Fact,
    FaqEntry,
    Flow,
    Meta,
    Node,
    Route,
    SituationsFile,
    Smalltalk,
)
from knowledge.yamlsource import YamlDocument, dotted, read_yaml

DEFAULT_DIR = Path(__file__).resolve().parent / "base"
MAX_TOTAL_BYTES = 5_000_000
"""All YAML files together (the shipped base is about 1.1 MB): more is junk, refused at once."""
MAX_PROBLEMS = 200
"""Problems reported at most; a folder of junk would otherwise take minutes to list them all."""

M = TypeVar("M", bound=BaseModel)


@dataclass
class Located:
    """A validated object, where it came from, and the path of its fields in the file."""

    value: Any
    doc: YamlDocument
    display: str
    path: tuple[str | int, ...]


@dataclass
class Collected:
    """Everything read so far, with locations, for the cross-file checks."""

    meta: Located | None = None
    facts: dict[str, Located] = field(default_factory=dict)
    documents: dict[str, Located] = field(default_factory=dict)
    routes: dict[str, Located] = field(default_factory=dict)
    flows: dict[str, Located] = field(default_factory=dict)
    # flow id -> node id -> Located(Node); nodes that failed validation are in broken_nodes
    nodes: dict[str, dict[str, Located]] = field(default_factory=dict)
    broken_nodes: dict[str, set[str]] = field(default_factory=dict)
    faq: dict[str, Located] = field(default_factory=dict)
    smalltalk: dict[str, Located] = field(default_factory=dict)
    deadlines: Located | None = None
    situations: Located | None = None
    # ids named in files that could not be read or validated: never report them as unknown
    maybe_ids: set[str] = field(default_factory=set)
    maybe_routes_broken: bool = False


def load_knowledge(
    directory: str | os.PathLike[str] | None = None,
    *,
    today: Callable[[], dt.date] = today_kz,
) -> KnowledgeBase:
    """Load and fully validate the base; raise :class:`KnowledgeError` listing every problem."""
    kb, problems = check_knowledge(directory, today=today)
    if problems or kb is None:
        raise KnowledgeError(problems)
    return kb


def check_knowledge(
    directory: str | os.PathLike[str] | None = None,
    *,
    today: Callable[[], dt.date] = today_kz,
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Read and check the base in ``directory``; return it (None on problems) and the problems."""
    root = Path(directory) if directory is not None else DEFAULT_DIR
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), 1, "", "knowledge folder not found"))
        return None, problems

    size = sum(p.stat().st_size for p in root.rglob("*.y*ml") if p.is_file())
    if size > MAX_TOTAL_BYTES:
        problems.append(Problem(str(root), 1, "", f"the YAML files hold {size:,} bytes; the "
                                f"limit is {MAX_TOTAL_BYTES:,} (is junk in the folder?)"))
        return None, problems
    collected = Collected()
    _read_all(root, collected, problems)
    if len(problems) < MAX_PROBLEMS:  # a folder of junk: its reading problems are enough
        checks.check_all(collected, problems)
    if problems or collected.meta is None:
        return None, _capped(sorted(set(problems)))

    def values(items: dict[str, Located]) -> dict[str, Any]:
        return {key: located.value for key, located in items.items()}

    kb = KnowledgeBase(
        directory=root,
        meta=collected.meta.value,
        facts=values(collected.facts),
        documents=values(collected.documents),
        routes=values(collected.routes),
        flows=values(collected.flows),
        faq=[located.value for located in collected.faq.values()],
        smalltalk=[located.value for located in collected.smalltalk.values()],
        deadlines=dict(collected.deadlines.value.calculators) if collected.deadlines else {},
        situations=collected.situations.value if collected.situations else None,
        today=today,
    )
    return kb, []


# --- reading ----------------------------------------------------------------------------------


def _display(path: Path) -> str:
    """A path as the admin would type it: relative to the working folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most ``MAX_PROBLEMS``, the last one saying how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS + 1
    last = problems[MAX_PROBLEMS - 1]
    return [*problems[: MAX_PROBLEMS - 1],
            Problem(last.file, last.line, "", f"… and {rest:,} more problems; fix these first")]


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _read_all(root: Path, collected: Collected, problems: list[Problem]) -> None:
    known = {
        "meta.yaml",
        "documents.yaml",
        "smalltalk.yaml",
        "deadlines.yaml",
        "situations.yaml",
        "facts",
        "documents",
        "routes",
        "flows",
        "faq",
    }
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name == "README.md":
            continue
        if entry.name not in known:
            problems.append(
                Problem(
                    _display(entry),
                    1,
                    "",
                    "the bot does not read this file or folder; "
                    "see knowledge/README.md for where things go",
                )
            )

    meta_path = root / "meta.yaml"
    if not meta_path.exists():
        problems.append(Problem(_display(meta_path), 1, "", "meta.yaml is missing"))
    else:
        collected.meta = _read_whole_file(meta_path, Meta, problems)

    for path in _yaml_files(root / "facts"):
        _read_mapping_file(path, "facts", Fact, collected.facts, collected, problems)
    document_files = _yaml_files(root / "documents")
    if (root / "documents.yaml").exists():
        document_files.insert(0, root / "documents.yaml")
    for path in document_files:
        _read_mapping_file(path, "documents", Document, collected.documents, collected, problems)
    for path in _yaml_files(root / "routes"):
        _read_route(path, collected, problems)
    for path in _yaml_files(root / "flows"):
        _read_flow(path, collected, problems)
    for path in _yaml_files(root / "faq"):
        _read_list_file(path, "faq", FaqEntry, collected.faq, collected, problems)
    if (root / "deadlines.yaml").exists():
        collected.deadlines = _read_whole_file(root / "deadlines.yaml", DeadlinesFile, problems)
    if (root / "situations.yaml").exists():
        collected.situations = _read_whole_file(root / "situations.yaml", SituationsFile,
                                                problems)
    if (root / "smalltalk.yaml").exists():
        _read_list_file(
            root / "smalltalk.yaml", "smalltalk", Smalltalk, collected.smalltalk, collected,
            problems,
        )


def _read_whole_file(path: Path, model: type[BaseModel], problems: list[Problem]
                     ) -> Located | None:
    """A file that is one document of ``model`` (meta.yaml, deadlines.yaml...), or ``None``
    with its problems recorded."""
    doc, display = _parse(path, problems)
    if doc.data is None:
        return None
    value = _validate(model, doc.data, doc, display, (), problems)
    return None if value is None else Located(value, doc, display, ())


def _parse(path: Path, problems: list[Problem]) -> tuple[YamlDocument, str]:
    display = _display(path)
    return read_yaml(path, display, problems), display


def _top(doc: YamlDocument, display: str, key: str, kind: type, problems: list[Problem]) -> Any:
    """The value under the file's top-level ``key``, which must be of ``kind``."""
    data = doc.data
    if data is None:
        if doc.lines == {} and doc.path.exists() and not any(
            p.file == display for p in problems
        ):
            problems.append(Problem(display, 1, "", f"the file is empty; it must start with "
                                                    f"'{key}:' (or delete the file)"))
        return None
    if not isinstance(data, dict) or key not in data:
        problems.append(Problem(display, 1, "", f"the file must start with '{key}:'"))
        return None
    for extra in data:
        if extra != key:
            problems.append(
                Problem(display, doc.line((extra,)), str(extra), f"unknown top-level key; "
                        f"only '{key}:' is allowed here")
            )
    value = data[key]
    if not isinstance(value, kind):
        expected = "a mapping of id: entry" if kind is dict else "a list of entries"
        problems.append(Problem(display, doc.line((key,)), key, f"must be {expected}"))
        return None
    return value


def _remember(
    store: dict[str, Located], key: str, located: Located, kind: str, problems: list[Problem]
) -> None:
    if key in store:
        first = store[key]
        problems.append(
            Problem(
                located.display,
                located.doc.line(located.path),
                dotted(located.path),
                f"{kind} id '{key}' is already used at {first.display}:"
                f"{first.doc.line(first.path)}",
            )
        )
        return
    store[key] = located


def _read_mapping_file(
    path: Path,
    key: str,
    model: type[M],
    store: dict[str, Located],
    collected: Collected,
    problems: list[Problem],
) -> None:
    doc, display = _parse(path, problems)
    if doc.data is None:
        collected.maybe_ids.add(f"*{key}")  # an unreadable file may define anything of this kind
        return
    entries = _top(doc, display, key, dict, problems)
    if entries is None:
        collected.maybe_ids.add(f"*{key}")
        return
    for entry_id, data in entries.items():
        location = (key, entry_id)
        if not checks.valid_id(entry_id):
            problems.append(Problem(display, doc.line(location), dotted(location),
                                    checks.id_message(entry_id)))
            continue
        _collect(model, data, doc, display, location, store, key[:-1], collected, problems,
                 entry_id=entry_id)


def _read_list_file(
    path: Path,
    key: str,
    model: type[M],
    store: dict[str, Located],
    collected: Collected,
    problems: list[Problem],
) -> None:
    doc, display = _parse(path, problems)
    entries = _top(doc, display, key, list, problems)
    if entries is None:
        return
    for index, data in enumerate(entries):
        _collect(model, data, doc, display, (key, index), store, key, collected, problems)


def _collect(
    model: type[M],
    data: Any,
    doc: YamlDocument,
    display: str,
    location: tuple[str | int, ...],
    store: dict[str, Located],
    kind: str,
    collected: Collected,
    problems: list[Problem],
    *,
    entry_id: str | None = None,
) -> None:
    """Validate one entry and keep it under its id (the mapping key, or the entry's ``id:``).

    An entry that fails validation still names its id, so references to it are not reported
    as unknown on top of its own problems.
    """
    value = _validate(model, data, doc, display, location, problems)
    if value is None:
        if entry_id is None and isinstance(data, dict) and isinstance(data.get("id"), str):
            entry_id = data["id"]
        if entry_id is not None:
            collected.maybe_ids.add(entry_id)
        return
    _remember(store, entry_id or value.id, Located(value, doc, display, location), kind,
              problems)


def _read_route(path: Path, collected: Collected, problems: list[Problem]) -> None:
    doc, display = _parse(path, problems)
    if doc.data is None:
        collected.maybe_routes_broken = True
        return
    route = _validate(Route, doc.data, doc, display, (), problems)
    if route is None:
        if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            collected.maybe_ids.add(doc.data["id"])
        else:
            collected.maybe_routes_broken = True
        return
    _remember(collected.routes, route.id, Located(route, doc, display, ()), "route", problems)


def _read_flow(path: Path, collected: Collected, problems: list[Problem]) -> None:
    doc, display = _parse(path, problems)
    data = doc.data
    if data is None:
        return
    if not isinstance(data, dict):
        problems.append(Problem(display, 1, "", "a flow file must be a mapping (id:, nodes:, ...)"))
        return
    raw_nodes = data.get("nodes")
    # Validate the envelope with placeholder nodes, then each node on its own, so a typo in one
    # node does not hide the graph problems of the whole flow.
    envelope = dict(data)
    if isinstance(raw_nodes, dict) and raw_nodes:
        envelope["nodes"] = {"placeholder": {"type": "info"}}
    flow = _validate(Flow, envelope, doc, display, (), problems)
    if flow is None or not isinstance(raw_nodes, dict):
        return
    nodes: dict[str, Located] = {}
    broken: set[str] = set()
    for node_id, node_data in raw_nodes.items():
        location = ("nodes", node_id)
        if not checks.valid_id(node_id):
            problems.append(Problem(display, doc.line(location), dotted(location),
                                    checks.id_message(node_id)))
            broken.add(str(node_id))
            continue
        node = _validate(Node, node_data, doc, display, location, problems)
        if node is None:
            broken.add(node_id)
        else:
            nodes[node_id] = Located(node, doc, display, location)
    flow = flow.model_copy(update={"nodes": {key: loc.value for key, loc in nodes.items()}})
    located = Located(flow, doc, display, ())
    if flow.id in collected.flows:
        _remember(collected.flows, flow.id, located, "flow", problems)
        return
    collected.flows[flow.id] = located
    collected.nodes[flow.id] = nodes
    collected.broken_nodes[flow.id] = broken


# --- pydantic errors as admin-friendly problems -------------------------------------------------


def _validate(
    model: type[M],
    data: Any,
    doc: YamlDocument,
    display: str,
    prefix: tuple[str | int, ...],
    problems: list[Problem],
) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems.extend(_explain(error, data, doc, display, prefix))
        return None


_TYPE_TAGS = {"str", "int", "float", "bool", "list", "dict", "date", "none"}


def _clean_location(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """Drop pydantic's union/type tags (``'str'``, ``'list[Rule]'``) from an error location."""
    cleaned: list[Any] = []
    current = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(current, dict) and part in current:
            cleaned.append(part)
            current = current[part]
            continue
        if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            cleaned.append(part)
            current = current[part]
            continue
        looks_like_tag = isinstance(part, str) and (
            "[" in part or part in _TYPE_TAGS or part.startswith("function-")
        )
        if looks_like_tag:
            continue
        if last or isinstance(part, str):
            cleaned.append(part)
            current = None
    return tuple(cleaned)


def _explain(
    error: ValidationError,
    data: Any,
    doc: YamlDocument,
    display: str,
    prefix: tuple[str | int, ...],
) -> list[Problem]:
    by_field: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for item in error.errors(include_url=False):
        location = _clean_location(tuple(item["loc"]), data)
        by_field.setdefault(location, []).append(item)
    found: list[Problem] = []
    for location, items in by_field.items():
        # For a union (an id or a list of rules) keep the error of the branch the admin meant.
        specific = [i for i in items if not str(i["type"]).endswith("_type")] or items
        item = specific[0]
        full = (*prefix, *location)
        found.append(Problem(display, doc.line(full), dotted(full), _message(item, location)))
    return found


def _message(item: dict[str, Any], location: tuple[Any, ...]) -> str:
    kind = str(item["type"])
    value = item.get("input")
    name = location[-1] if location else "entry"
    context = item.get("ctx") or {}
    if kind == "missing":
        return f"required field '{name}' is missing"
    if kind == "extra_forbidden":
        return f"unknown field '{name}' (misspelt, or in the wrong place?)"
    if kind == "string_pattern_mismatch":
        return checks.id_message(value)
    if kind == "literal_error":
        return f"{value!r} is not allowed here; expected {context.get('expected', '')}"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    if kind == "string_too_long":
        return f"too long (at most {context.get('max_length')} characters)"
    if kind.startswith("date"):
        return f"{value!r} is not a date; write it as YYYY-MM-DD"
    if kind in ("model_type", "dict_type"):
        return f"must be a mapping (key: value lines), not {_kind_of(value)}"
    if kind == "list_type":
        return f"must be a list (lines starting with '- '), not {_kind_of(value)}"
    if kind == "string_type":
        return f"must be a text, not {_kind_of(value)}"
    if kind == "value_error":
        return str(context.get("error") or item["msg"])
    return str(item["msg"])


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{value!r}"
