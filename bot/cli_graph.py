"""``python -m bot graph [FLOW] [--lang L]``: print a Mermaid diagram of an interview.

Paste the output into any Mermaid viewer (GitHub renders ```mermaid blocks).
"""

from __future__ import annotations

import argparse
import sys

from bot.runtime import load_or_exit
from knowledge.model import KnowledgeBase
from knowledge.schema import Rule


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("graph", help="print a Mermaid diagram of a flow")
    parser.add_argument("flow", nargs="?", help="flow id (default: every flow)")
    parser.add_argument("--lang", choices=("ru", "kk", "en"), default="en")
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge folder")
    parser.set_defaults(func=run)


def _label(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace('"', "#quot;")


def _condition(rule: Rule) -> str:
    if not rule.when:
        return "otherwise"
    return ", ".join(
        f"{fact}={'/'.join(v) if isinstance(v, list) else v}" for fact, v in rule.when.items()
    )


def mermaid(kb: KnowledgeBase, flow_id: str, lang: str) -> str:
    flow = kb.flows[flow_id]
    lines = [f"%% {kb.text(flow.title, lang)} (knowledge base {kb.version})", "flowchart TD"]
    for node_id, node in flow.nodes.items():
        if node.type == "question":
            lines.append(f'    {node_id}{{"{_label(kb.text(node.text, lang))}"}}')
        elif node.type == "info":
            lines.append(f'    {node_id}>"{_label(kb.text(node.text, lang))}"]')
        else:
            title = kb.text(kb.routes[node.route or ""].title, lang)
            lines.append(f'    {node_id}(["{_label(title)}"]):::outcome')

    def edges(source: str, label: str, next_value) -> None:
        if next_value is None:
            return
        if isinstance(next_value, str):
            arrow = f'-->|"{_label(label, 30)}"|' if label else "-->"
            lines.append(f"    {source} {arrow} {next_value}")
            return
        for rule in next_value:
            text = f"{_condition(rule)} ({label})" if label else _condition(rule)
            lines.append(f'    {source} -.->|"{_label(text, 40)}"| {rule.goto}')

    for node_id, node in flow.nodes.items():
        fallthrough = []
        for option in node.options:
            label = kb.text(option.label, lang)
            if option.next is not None:
                edges(node_id, label, option.next)
            else:
                fallthrough.append(label)
        if node.next is not None:
            edges(node_id, " / ".join(fallthrough), node.next)
    lines.append("    classDef outcome fill:#e6f4ea,stroke:#2e7d32")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    kb = load_or_exit(args.knowledge)
    flows = [args.flow] if args.flow else list(kb.flows)
    for flow_id in flows:
        if flow_id not in kb.flows:
            print(f"unknown flow '{flow_id}'; flows: {', '.join(kb.flows)}", file=sys.stderr)
            return 2
        print(mermaid(kb, flow_id, args.lang))
    return 0
