"""Checks across the whole knowledge base: references, the flow graphs, texts and facts.

Each check appends :class:`~knowledge.problems.Problem` objects and never stops early, so an
admin sees every mistake in one run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from babel import Locale
from pydantic import BaseModel

from knowledge.facts import fact_value_problem, placeholders
from knowledge.problems import Problem
from knowledge.schema import (
    LANGUAGES,
    AudienceText,
    ByAudience,
    DatedText,
    InForce,
    LocalList,
    LocalText,
    Node,
    Rule,
    Step,
    official,
    source_url,
)
from knowledge.yamlsource import dotted

if TYPE_CHECKING:
    from knowledge.loader import Collected, Located

ID = re.compile(r"^[a-z][a-z0-9_]*$")
CALLBACK_LIMIT = 64  # bytes, Telegram's limit on callback_data


def valid_id(value: Any) -> bool:
    return isinstance(value, str) and bool(ID.match(value))


def id_message(value: Any) -> str:
    return (
        f"{value!r} is not a valid id: use lower-case Latin letters, digits and _, "
        "starting with a letter"
    )


def button_data(kind: str, *parts: str) -> str:
    """The callback data of a button, exactly as :mod:`dialogs.buttons` builds it."""
    from dialogs.buttons import encode

    return encode(kind, *parts)


def check_all(c: Collected, problems: list[Problem]) -> None:
    _check_facts(c, problems)
    _check_texts(c, problems)
    _check_periods(c, problems)
    _check_documents(c, problems)
    _check_routes(c, problems)
    _check_addressing(c, problems)
    _check_sources(c, problems)
    recorded = _check_flows(c, problems)
    _check_conditions(c, recorded, problems)
    _check_faq(c, problems)
    _check_deadlines(c, problems)
    _check_situations(c, problems)
    _check_unique_ids(c, problems)


def _problem(located: Located, path: tuple[Any, ...], message: str) -> Problem:
    full = (*located.path, *path)
    return Problem(located.display, located.doc.line(full), dotted(full), message)


# --- facts --------------------------------------------------------------------------------------


def _check_facts(c: Collected, problems: list[Problem]) -> None:
    meta = c.meta.value if c.meta else None
    for located in c.facts.values():
        fact = located.value
        message = fact_value_problem(fact)
        if message:
            problems.append(_problem(located, ("value",), message))
        if meta and fact.type == "duration" and fact.unit and fact.unit not in meta.units:
            problems.append(
                _problem(located, ("unit",), f"meta.yaml has no words for unit '{fact.unit}'")
            )
    if meta is None:
        return
    mci = c.facts.get(meta.mci_fact)
    if mci is None and "*facts" not in c.maybe_ids and meta.mci_fact not in c.maybe_ids:
        problems.append(_problem(c.meta, ("mci_fact",), f"unknown fact '{meta.mci_fact}'"))
    elif mci is not None and mci.value.type != "money_by_year":
        problems.append(
            _problem(c.meta, ("mci_fact",), f"fact '{meta.mci_fact}' must be money_by_year")
        )
    if "tenge" not in meta.units:
        problems.append(_problem(c.meta, ("units",), "units must define 'tenge'"))
    for unit, forms in meta.units.items():
        for lang in LANGUAGES:
            needed = Locale.parse(lang).plural_form.tags | {"other"}
            missing = sorted(needed - set(forms.get(lang)))
            if missing:
                problems.append(
                    _problem(
                        c.meta,
                        ("units", unit, lang),
                        f"missing plural form(s) {', '.join(missing)}",
                    )
                )


# --- texts: every language present, every placeholder defined ----------------------------------


def _nodes(value: Any, path: tuple[Any, ...],
           stop: Callable[[Any], bool]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every value inside ``value`` (models, lists, dicts), with its path, pre-order; the values
    for which ``stop`` is true are yielded but not entered."""
    yield path, value
    if stop(value):
        return
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _nodes(getattr(value, name), (*path, name), stop)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index), stop)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key), stop)


def _is_text(value: Any) -> bool:
    return isinstance(value, (LocalText, LocalList))


def _walk_texts(
    value: Any, path: tuple[Any, ...]
) -> Iterator[tuple[tuple[Any, ...], LocalText | LocalList]]:
    return ((where, text) for where, text in _nodes(value, path, _is_text) if _is_text(text))


def _all_located(c: Collected) -> Iterator[Located]:
    if c.meta:
        yield c.meta
    if c.deadlines:
        yield c.deadlines
    yield from c.facts.values()
    yield from c.documents.values()
    yield from c.routes.values()
    for flow_id, located in c.flows.items():
        yield located
        yield from c.nodes.get(flow_id, {}).values()
    yield from c.faq.values()
    yield from c.smalltalk.values()


def _check_texts(c: Collected, problems: list[Problem]) -> None:
    defined = set(c.facts)
    for located in _all_located(c):
        value = located.value
        if isinstance(value, BaseModel) and type(value).__name__ == "Flow":
            value = value.model_copy(update={"nodes": {}})  # nodes are checked on their own
        for path, text in _walk_texts(value, ()):
            template = located is c.meta and path == ("mci_template",)
            for lang in LANGUAGES:
                content = getattr(text, lang)
                if not content and path[-1:] == ("keywords",):
                    continue  # keywords are optional in each language
                if not content:
                    problems.append(_problem(located, (*path, lang), f"missing {lang} text"))
                    continue
                pieces = content if isinstance(content, list) else [content]
                for piece in pieces:
                    for use in placeholders(piece):
                        if template:
                            if use.name not in ("amount", "tenge", "year"):
                                problems.append(
                                    _problem(located, (*path, lang),
                                             f"{use.raw}: use only {{amount}}, {{tenge}}, {{year}}")
                                )
                            continue
                        if use.name is None:
                            problems.append(
                                _problem(
                                    located,
                                    (*path, lang),
                                    f"{use.raw} is not a placeholder: write {{fact_id}}, "
                                    "or {{ and }} for literal braces",
                                )
                            )
                        elif use.name not in defined and use.name not in c.maybe_ids and (
                            "*facts" not in c.maybe_ids
                        ):
                            problems.append(
                                _problem(located, (*path, lang), f"unknown fact {use.raw}")
                            )
                        elif use.year is not None and use.name in c.facts:
                            fact = c.facts[use.name].value
                            if fact.type != "money_by_year":
                                problems.append(
                                    _problem(located, (*path, lang),
                                             f"{use.raw}: only money_by_year facts take a year")
                                )
                            elif isinstance(fact.value, dict) and use.year not in fact.value:
                                problems.append(
                                    _problem(located, (*path, lang),
                                             f"{use.raw}: no value for {use.year}")
                                )


# --- rules in force from / until a date -----------------------------------------------------------


def _is_versions(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, DatedText)
                                                           for v in value)


def _periods(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every item with from:/until: and every list of dated versions, with its path."""
    return ((where, item) for where, item in _nodes(value, path, _is_versions)
            if _is_versions(item) or isinstance(item, InForce))


def _check_periods(c: Collected, problems: list[Problem]) -> None:
    """``from:`` is not after ``until:``; the versions of a dated text follow each other in
    time, one day after the other, without gaps or overlaps."""
    for located in _all_located(c):
        for path, value in _periods(located.value, ()):
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                here = (*path, index) if isinstance(value, list) else path
                if item.valid_from and item.valid_until and item.valid_until < item.valid_from:
                    problems.append(_problem(located, here, "until: is before from:"))
            if not isinstance(value, list):
                continue
            for index, (before, after) in enumerate(itertools.pairwise(value), 1):
                if before.valid_until is None or after.valid_from is None:
                    problems.append(_problem(located, (*path, index), (
                        "every version but the last needs until:, every one but the first "
                        "needs from:")))
                elif after.valid_from != before.valid_until + dt.timedelta(days=1):
                    problems.append(_problem(located, (*path, index), (
                        f"from: {after.valid_from} should be the day after the previous "
                        f"version's until: {before.valid_until} (no gap, no overlap)")))


# --- documents and routes -----------------------------------------------------------------------


def _known(c: Collected, kind: str, identifier: str, store: dict[str, Any]) -> bool:
    return identifier in store or identifier in c.maybe_ids or f"*{kind}" in c.maybe_ids


def _check_documents(c: Collected, problems: list[Problem]) -> None:
    del c, problems  # document conditions are checked with the flows' recorded facts


def _check_routes(c: Collected, problems: list[Problem]) -> None:
    for located in c.routes.values():
        route = located.value
        if route.variant_of is not None:
            if route.variant_of == route.id:
                problems.append(_problem(located, ("variant_of",), "a route cannot vary itself"))
            elif route.variant_of not in c.routes and not c.maybe_routes_broken and (
                route.variant_of not in c.maybe_ids
            ):
                problems.append(
                    _problem(located, ("variant_of",), f"unknown route '{route.variant_of}'")
                )
        for index, doc_id in enumerate(route.documents):
            if not _known(c, "documents", doc_id, c.documents):
                problems.append(
                    _problem(located, ("documents", index), f"unknown document '{doc_id}'")
                )
        if len(set(route.documents)) != len(route.documents):
            problems.append(_problem(located, ("documents",), "a document is listed twice"))


def _check_sources(c: Collected, problems: list[Problem]) -> None:
    """Every route and FAQ entry cites an official act, unless ``unofficial:`` says why not."""
    domains = c.meta.value.official_domains if c.meta else []
    if not domains:
        return
    for located in [*c.routes.values(), *c.faq.values()]:
        entry = located.value
        if entry.unofficial or any(official(source_url(s), domains) for s in entry.sources):
            continue
        problems.append(_problem(located, ("sources",), (
            "no official source (a URL on one of meta.yaml official_domains): add the act, "
            "or say why there is none in unofficial:")))


def _readers_of(value: Any, path: tuple[Any, ...], readers: tuple[str, ...]
                ) -> Iterator[tuple[tuple[Any, ...], LocalText, tuple[str, ...]]]:
    """Every text of a route or an outcome with the readers it is shown to."""
    if isinstance(value, ByAudience):
        yield (*path, "worker"), value.worker, ("worker",)
        yield (*path, "employer"), value.employer, ("employer",)
    elif isinstance(value, AudienceText):
        yield path, value, readers if value.who == "both" else (value.who,)
    elif isinstance(value, Step):
        shown = readers if value.who in (None, "both") else (value.who,)
        for name in ("text", "timeline"):
            if getattr(value, name) is not None:
                yield (*path, name), getattr(value, name), shown
    elif isinstance(value, LocalText):
        yield path, value, readers
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _readers_of(item, (*path, index), readers)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in ("title", "sources", "review"):
                yield from _readers_of(getattr(value, name), (*path, name), readers)


def _check_addressing(c: Collected, problems: list[Problem]) -> None:
    """A route text shown to one reader does not speak to the other (meta ``addressing``)."""
    phrases = c.meta.value.addressing if c.meta else {}
    if not phrases:
        return
    both = ("worker", "employer")
    located_texts = [(located, _readers_of(located.value, (), both))
                     for located in c.routes.values()]
    for flow_id, located_flow in c.flows.items():
        audience = getattr(located_flow.value, "audience", None)
        readers = (audience,) if audience else both
        for located in c.nodes.get(flow_id, {}).values():
            node = located.value
            if isinstance(node, Node) and node.type == "outcome":
                located_texts.append((located, _readers_of(node.extras, ("extras",), readers)))
    for located, texts in located_texts:
        for path, text, readers in texts:
            for reader in readers:
                other = "employer" if reader == "worker" else "worker"
                for lang in LANGUAGES:
                    content = (text.get(lang) or "").casefold()
                    hit = next((p for p in phrases.get(other, LocalList()).get(lang)
                                if p.casefold() in content), None)
                    if hit is not None:
                        problems.append(_problem(
                            located, (*path, lang),
                            f"shown to the {reader} but speaks to the {other} (“{hit}”): give it "
                            f"who: {other}, or write it per reader (worker: / employer:)"))


# --- flows --------------------------------------------------------------------------------------


def _targets(next_value: str | list[Rule] | None) -> list[tuple[tuple[Any, ...], str]]:
    if next_value is None:
        return []
    if isinstance(next_value, str):
        return [((), next_value)]
    return [((index, "goto"), rule.goto) for index, rule in enumerate(next_value)]


def _has_default(next_value: str | list[Rule] | None) -> bool:
    if isinstance(next_value, str):
        return True
    return bool(next_value) and any(not rule.when for rule in next_value)


def _check_flows(c: Collected, problems: list[Problem]) -> dict[str, dict[str, set[str]]]:
    """Check every flow; return, per flow, fact name → the option ids that can record it."""
    recorded: dict[str, dict[str, set[str]]] = {}
    reached_routes: set[str] = set()
    for flow_id, flow_loc in c.flows.items():
        nodes = c.nodes.get(flow_id, {})
        broken = c.broken_nodes.get(flow_id, set())
        all_ids = set(nodes) | broken
        facts: dict[str, set[str]] = {}
        edges: dict[str, list[str]] = {}
        flow = flow_loc.value
        for button, data in (("m", (flow_id,)),):
            _check_button(flow_loc, ("id",), button, data, problems)
        if flow.start not in all_ids:
            problems.append(_problem(flow_loc, ("start",), f"unknown node '{flow.start}'"))

        for node_id, located in nodes.items():
            node: Node = located.value
            edges[node_id] = _check_node(c, flow_id, node_id, node, located, all_ids, problems)
            if node.type == "question" and node.fact:
                facts.setdefault(node.fact, set()).update(o.id for o in node.options)
            if node.type == "outcome" and node.route:
                reached_routes.add(node.route)
        recorded[flow_id] = facts
        if broken:
            continue  # the graph cannot be judged until the broken nodes are fixed
        _check_graph(flow_loc, flow.start, nodes, broken, edges, problems)
        _check_fact_order(flow_loc, flow.start, nodes, edges, problems)

    all_flows_readable = any(c.flows.values()) and not any(c.broken_nodes.values())
    for route_id, located in c.routes.items():
        if route_id not in reached_routes and all_flows_readable:
            problems.append(
                _problem(located, ("id",), f"route '{route_id}' is not reached by any flow")
            )
    return recorded


def _check_button(
    located: Located, path: tuple[Any, ...], kind: str, parts: tuple[str, ...],
    problems: list[Problem],
) -> None:
    data = button_data(kind, *parts)
    size = len(data.encode("utf-8"))
    if size > CALLBACK_LIMIT:
        problems.append(
            _problem(
                located,
                path,
                f"button data '{data}' is {size} bytes; Telegram allows {CALLBACK_LIMIT}: "
                "use shorter ids",
            )
        )


def _check_node(
    c: Collected,
    flow_id: str,
    node_id: str,
    node: Node,
    located: Located,
    all_ids: set[str],
    problems: list[Problem],
) -> list[str]:
    """Check one node on its own; return the ids of the nodes it can lead to."""
    out: list[str] = []

    def target(path: tuple[Any, ...], goto: str) -> None:
        if goto not in all_ids:
            problems.append(_problem(located, path, f"unknown node '{goto}'"))
        elif goto == node_id:
            problems.append(_problem(located, path, "a node cannot lead to itself"))
        else:
            out.append(goto)

    for path, goto in _targets(node.next):
        target(("next", *path), goto)

    if node.type == "question":
        if not node.fact:
            problems.append(
                _problem(located, ("fact",), "a question must name the fact it records"))
        if node.text is None:
            problems.append(_problem(located, ("text",), "a question needs a text"))
        if len(node.options) < 2:
            problems.append(_problem(located, ("options",), "a question needs at least 2 options"))
        seen: set[str] = set()
        for index, option in enumerate(node.options):
            if option.id in seen:
                problems.append(
                    _problem(located, ("options", index, "id"), f"option '{option.id}' repeats")
                )
            seen.add(option.id)
            _check_button(located, ("options", index, "id"), "a", (node_id, option.id), problems)
            for path, goto in _targets(option.next):
                target(("options", index, "next", *path), goto)
            if option.next is None and not _has_default(node.next):
                problems.append(
                    _problem(
                        located,
                        ("options", index),
                        f"answer '{option.id}' leads nowhere: give it next:, or give the "
                        "question a next: with a default rule (one without when:)",
                    )
                )
            elif isinstance(option.next, list) and not _has_default(option.next):
                problems.append(
                    _problem(located, ("options", index, "next"),
                             "rules need a last rule without when: (the default)")
                )
        _check_button(located, (), "c", (node_id,), problems)
    elif node.type == "info":
        if node.text is None:
            problems.append(_problem(located, ("text",), "an info node needs a text"))
        if node.options or node.fact:
            problems.append(_problem(located, (), "an info node has no options or fact"))
        if not _has_default(node.next):
            problems.append(
                _problem(located, ("next",), "an info node needs next: (with a default rule)")
            )
    else:  # outcome
        if node.next is not None or node.options:
            problems.append(_problem(located, (), "an outcome ends the interview: no next/options"))
        if not node.route:
            problems.append(_problem(located, ("route",), "an outcome must name a route"))
        elif not _known(c, "routes", node.route, c.routes) and not c.maybe_routes_broken:
            problems.append(_problem(located, ("route",), f"unknown route '{node.route}'"))
        for e_index, extra in enumerate(node.extras):
            for d_index, doc_id in enumerate(extra.documents):
                if not _known(c, "documents", doc_id, c.documents):
                    problems.append(
                        _problem(located, ("extras", e_index, "documents", d_index),
                                 f"unknown document '{doc_id}'")
                    )
            if extra.text is None and not extra.documents:
                problems.append(
                    _problem(located, ("extras", e_index), "an extra needs text: or documents:")
                )
    return out


def _check_graph(
    flow_loc: Located,
    start: str,
    nodes: dict[str, Located],
    broken: set[str],
    edges: dict[str, list[str]],
    problems: list[Problem],
) -> None:
    # Reachability from start.
    reachable: set[str] = set()
    stack = [start]
    while stack:
        current = stack.pop()
        if current in reachable:
            continue
        reachable.add(current)
        stack.extend(edges.get(current, []))
    for node_id, located in nodes.items():
        if node_id not in reachable:
            problems.append(
                _problem(located, (), f"node '{node_id}' cannot be reached from '{start}'")
            )

    # Loops: an answer can never be asked twice, so the graph must be acyclic.
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(edges, white)

    def visit(node_id: str, trail: list[str]) -> None:
        colour[node_id] = grey
        for nxt in edges.get(node_id, []):
            if colour.get(nxt, black) == grey:
                loop = [*trail[trail.index(nxt):], nxt] if nxt in trail else [node_id, nxt]
                problems.append(
                    _problem(nodes[node_id], ("next",),
                             "loop: " + " → ".join(loop) + " (an interview cannot go in circles)")
                )
            elif colour.get(nxt) == white:
                visit(nxt, [*trail, nxt])
        colour[node_id] = black

    for node_id in sorted(edges):
        if colour[node_id] == white:
            visit(node_id, [node_id])
    del broken, flow_loc


def _ancestors_facts(
    start: str, nodes: dict[str, Located], edges: dict[str, list[str]]
) -> dict[str, set[str]]:
    """For each node, the facts that are always or sometimes recorded before it (any path)."""
    before: dict[str, set[str]] = {node_id: set() for node_id in nodes}
    order: list[str] = []
    seen: set[str] = set()

    def topo(node_id: str) -> None:
        if node_id in seen or node_id not in nodes:
            return
        seen.add(node_id)
        for nxt in edges.get(node_id, []):
            topo(nxt)
        order.append(node_id)

    topo(start)
    for node_id in reversed(order):
        node = nodes[node_id].value
        carried = set(before[node_id])
        if node.type == "question" and node.fact:
            carried.add(node.fact)
        for nxt in edges.get(node_id, []):
            if nxt in before:
                before[nxt] |= carried
    return before


def _check_fact_order(
    flow_loc: Located,
    start: str,
    nodes: dict[str, Located],
    edges: dict[str, list[str]],
    problems: list[Problem],
) -> None:
    """A ``when:`` may only test facts that some earlier question of the flow records."""
    options_of: dict[str, set[str]] = {}
    for located in nodes.values():
        node = located.value
        if node.type == "question" and node.fact:  # several questions may record one fact
            options_of.setdefault(node.fact, set()).update(o.id for o in node.options)
    before = _ancestors_facts(start, nodes, edges)
    for node_id, located in nodes.items():
        node: Node = located.value
        conditions: list[tuple[tuple[Any, ...], dict[str, Any], bool]] = []
        if isinstance(node.next, list):
            conditions += [(("next", i, "when"), r.when, True) for i, r in enumerate(node.next)
                           if r.when]
        for o_index, option in enumerate(node.options):
            if isinstance(option.next, list):
                conditions += [
                    (("options", o_index, "next", i, "when"), r.when, False)
                    for i, r in enumerate(option.next)
                    if r.when
                ]
        conditions += [(("extras", i, "when"), e.when, False) for i, e in enumerate(node.extras)
                       if e.when]
        available = before.get(node_id, set())
        if node.type == "question" and node.fact:
            available = available | {node.fact}  # a question's own next may test its answer
        for path, when, _ in conditions:
            for fact, allowed in when.items():
                if fact not in options_of:
                    problems.append(
                        _problem(located, (*path, fact),
                                 f"no question of this flow records '{fact}'")
                    )
                    continue
                if fact not in available:
                    problems.append(
                        _problem(located, (*path, fact),
                                 f"'{fact}' is not asked before this point of the interview")
                    )
                values = allowed if isinstance(allowed, list) else [allowed]
                for value in values:
                    if value not in options_of[fact]:
                        problems.append(
                            _problem(located, (*path, fact),
                                     f"'{value}' is not an answer of the question that records "
                                     f"'{fact}' (answers: {', '.join(sorted(options_of[fact]))})")
                        )
    del flow_loc


def _check_conditions(
    c: Collected, recorded: dict[str, dict[str, set[str]]], problems: list[Problem]
) -> None:
    """Documents' ``when:`` must name facts and answers that some flow records."""
    all_facts: dict[str, set[str]] = {}
    for facts in recorded.values():
        for fact, values in facts.items():
            all_facts.setdefault(fact, set()).update(values)
    any_broken = any(c.broken_nodes.values())
    for located in c.documents.values():
        when = located.value.when or {}
        for fact, allowed in when.items():
            if fact not in all_facts:
                if not any_broken:
                    problems.append(
                        _problem(located, ("when", fact), f"no interview question records '{fact}'")
                    )
                continue
            for value in allowed if isinstance(allowed, list) else [allowed]:
                if value not in all_facts[fact]:
                    problems.append(
                        _problem(located, ("when", fact),
                                 f"'{value}' is not an answer recorded as '{fact}' "
                                 f"(answers: {', '.join(sorted(all_facts[fact]))})")
                    )


# --- faq and ids --------------------------------------------------------------------------------

MIN_VARIANTS = 3


def _check_faq(c: Collected, problems: list[Problem]) -> None:
    topics = c.meta.value.topics if c.meta else None
    for located in c.faq.values():
        entry = located.value
        if topics is not None and entry.topic not in topics:
            problems.append(_problem(located, ("topic",), f"topic '{entry.topic}' has no title "
                                                          "in meta.yaml (topics:)"))
        _check_button(located, ("id",), "f", (entry.id,), problems)
        for number, route in enumerate(entry.routes):
            if route not in c.routes:
                problems.append(_problem(located, ("routes", number),
                                         f"unknown route '{route}'"))
        for lang in LANGUAGES:
            variants = entry.questions.get(lang)
            if variants and len(variants) < MIN_VARIANTS:
                problems.append(
                    _problem(located, ("questions", lang),
                             f"give at least {MIN_VARIANTS} ways to ask in {lang} "
                             f"(found {len(variants)})")
                )


# --- situations.yaml ------------------------------------------------------------------------------

_PHRASE_WORD = re.compile(r"^(\.\.\.|[^\s*]+\*?)$")


def _check_situations(c: Collected, problems: list[Problem]) -> None:
    """Every interview, question and option named exists; every fact an interview reads is
    said by some signal; country codes are real; phrases are well formed."""
    located = c.situations
    if located is None:
        return
    s = located.value
    territories = set(Locale.parse("en").territories)
    countries = s.countries
    for code in [*countries.names, *countries.display, *countries.skip]:
        if not (len(code) == 2 and code.isupper() and code in territories):
            problems.append(_problem(located, ("countries",), f"unknown country code '{code}' "
                                     "(ISO 3166-1 alpha-2, e.g. UZ)"))
    for group, codes in countries.groups.items():
        for i, code in enumerate(codes):
            if code not in territories:
                problems.append(_problem(located, ("countries", "groups", group, i),
                                         f"unknown country code '{code}'"))
    # the citizenship group is said by the country read: its group, or `other`
    said: set[tuple[str, str]] = {("citizenship_group", group)
                                  for group in [*countries.groups, "other"]}
    ids: set[str] = set()
    for i, signal in enumerate(s.signals):
        if signal.id in ids:
            problems.append(_problem(located, ("signals", i, "id"),
                                     f"signal '{signal.id}' is defined twice"))
        ids.add(signal.id)
        if not (signal.all or signal.worker or signal.employer or signal.cancels):
            problems.append(_problem(located, ("signals", i), "the signal says nothing: give "
                                     "all:, worker: or employer: facts, or cancels:"))
        for part in (signal.all, signal.worker, signal.employer, signal.negated or {}):
            said.update(part.items())
        for lang, phrases in signal.phrases.items():
            for j, phrase in enumerate(phrases):
                words = phrase.split()
                if not words or any(not _PHRASE_WORD.match(w) for w in words) \
                        or words[0] == "..." or words[-1] == "...":
                    problems.append(_problem(
                        located, ("signals", i, "phrases", lang, j),
                        f"phrase '{phrase}': words, a '*' only at a word's end, '...' only "
                        "between words"))
                elif any(w.endswith("*") and len(w) < 4 and not w[:-1].isdigit() for w in words):
                    problems.append(_problem(
                        located, ("signals", i, "phrases", lang, j),
                        f"phrase '{phrase}': a stem needs at least 3 letters before '*'"))
    facts = {fact for fact, _value in said}
    for i, signal in enumerate(s.signals):
        for k, fact in enumerate(signal.cancels):
            if fact not in facts:
                problems.append(_problem(located, ("signals", i, "cancels", k),
                                         f"no signal says the fact '{fact}' it cancels"))
    roles = {value for fact, value in said if fact == "role"}
    for flow_id, interview in s.interviews.items():
        where = ("interviews", flow_id)
        flow = c.flows.get(flow_id)
        if flow is None:
            if flow_id not in c.maybe_ids:
                problems.append(_problem(located, where, f"unknown interview '{flow_id}'"))
            continue
        if interview.role not in roles:
            problems.append(_problem(located, (*where, "role"),
                                     f"no signal says role '{interview.role}'"))
        questions = {node.fact: node for node in flow.value.nodes.values()
                     if node.type == "question" and node.fact}
        for k, line in enumerate(interview.answers):
            node = questions.get(line.question)
            if node is None:
                problems.append(_problem(located, (*where, "answers", k, "question"),
                                         f"interview '{flow_id}' asks no question about "
                                         f"'{line.question}'"))
                continue
            options = {option.id for option in node.options}
            values = {value for fact, value in said if fact == line.fact}
            if not values:
                problems.append(_problem(located, (*where, "answers", k, "fact"),
                                         f"no signal says the fact '{line.fact}'"))
            mapped = line.values.values() if line.values is not None else values
            for option in sorted(set(mapped) - options):
                problems.append(_problem(located, (*where, "answers", k),
                                         f"'{option}' is not an answer of the question "
                                         f"'{line.question}' ({', '.join(sorted(options))})"))
    for k, rule in enumerate(s.combine):
        if (rule.fact, rule.gives) not in said and not any(
                line.fact == rule.fact for i in s.interviews.values() for line in i.answers):
            problems.append(_problem(located, ("combine", k), f"no interview reads "
                                     f"'{rule.fact}'"))


def _check_deadlines(c: Collected, problems: list[Problem]) -> None:
    """Every calculator is described, offered on known routes, and its facts exist."""
    if c.deadlines is None:
        return
    from dialogs.deadlines import DeadlineRules
    from knowledge.schema import CALCULATORS

    calculators = c.deadlines.value.calculators
    for calc in CALCULATORS:
        if calc not in calculators:
            problems.append(_problem(c.deadlines, ("calculators",),
                                     f"calculator '{calc}' is not described"))
    for calc, spec in calculators.items():
        for index, route in enumerate(spec.routes):
            if not _known(c, "routes", route, c.routes) and not c.maybe_routes_broken:
                problems.append(_problem(c.deadlines, ("calculators", calc, "routes", index),
                                         f"unknown route '{route}'"))
        _check_button(c.deadlines, ("calculators", calc), "dd", (calc, "20261231"), problems)
    if "*facts" in c.maybe_ids:
        return
    for fact_id in DeadlineRules.fact_ids():
        if fact_id not in c.facts and fact_id not in c.maybe_ids:
            problems.append(_problem(c.deadlines, ("calculators",),
                                     f"the calculators need the fact '{fact_id}'"))
        elif fact_id in c.facts and not isinstance(c.facts[fact_id].value.value, int):
            problems.append(_problem(c.facts[fact_id], ("value",),
                                     "the deadline calculators need a whole number here"))


def _check_unique_ids(c: Collected, problems: list[Problem]) -> None:
    """Ids name one thing across the whole base (documents, routes, flows, FAQ, small talk)."""
    owners: dict[str, tuple[str, Located]] = {}
    kinds = (
        ("document", c.documents),
        ("route", c.routes),
        ("flow", c.flows),
        ("faq entry", c.faq),
        ("small-talk entry", c.smalltalk),
    )
    for kind, store in kinds:
        for identifier, located in store.items():
            if identifier in owners:
                other_kind, other = owners[identifier]
                problems.append(
                    _problem(located, ("id",) if kind != "document" else (),
                             f"id '{identifier}' is also a {other_kind} at "
                             f"{other.display}:{other.doc.line(other.path)}")
                )
            else:
                owners[identifier] = (kind, located)
