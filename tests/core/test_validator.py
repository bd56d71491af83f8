"""The validator reports every problem of a broken knowledge base at once, with file and line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import KnowledgeError, check_knowledge, load_knowledge

ROOT = Path(__file__).resolve().parents[2]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def problems_of(directory: Path) -> list[str]:
    kb, problems = check_knowledge(directory)
    assert kb is None
    return [str(p) for p in problems]


def test_the_fixture_base_is_clean(kb_copy: Path) -> None:
    assert check_knowledge(kb_copy)[1] == []


def test_five_planted_errors_are_reported_in_one_run_with_file_and_line(kb_copy: Path) -> None:
    flow = kb_copy / "flows" / "worker.yaml"
    route = kb_copy / "routes" / "permit.yaml"
    faq = kb_copy / "faq" / "general.yaml"
    smalltalk = kb_copy / "smalltalk.yaml"
    # 1. a YAML syntax error
    edit(smalltalk, "reply: {ru: Здравствуйте!", "reply: {ru: [Здравствуйте!")
    # 2. an unknown reference
    edit(route, "documents: [passport_copy,", "documents: [pasport_copy,")
    # 3. an unreachable node
    flow.write_text(flow.read_text(encoding="utf-8") + textwrap_orphan(), encoding="utf-8")
    # 4. a missing kk text
    edit(faq, "      kk: Әдетте 12 ай.\n", "")
    # 5. an over-long button id
    long_id = "other_" + "x" * 60
    edit(flow, "      - id: other\n", f"      - id: {long_id}\n")

    result = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(kb_copy)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 1
    out = result.stdout
    rel = lambda p: str(p)  # noqa: E731 - paths are printed as given when outside the cwd
    assert re.search(rf"{re.escape(rel(smalltalk))}:\d+: YAML syntax error", out)
    assert f"{rel(route)}:{line_of(route, 'pasport_copy')}: documents[0]: unknown document " \
           "'pasport_copy'" in out
    assert f"{rel(flow)}:{line_of(flow, 'orphan:')}: nodes.orphan: node 'orphan' cannot be " \
           "reached from 'citizenship'" in out
    assert f"{rel(faq)}:{line_of(faq, 'answer:')}: faq[0].answer.kk: missing kk " \
           "text" in out
    assert re.search(
        rf"{re.escape(rel(flow))}:{line_of(flow, long_id)}: nodes\.citizenship\.options\[1\]\.id: "
        r"button data 'a:citizenship:other_x+' is \d+ bytes; Telegram allows 64", out)
    assert "5 problems in the knowledge base." in out


def textwrap_orphan() -> str:
    return (
        "  orphan:\n"
        "    type: outcome\n"
        "    route: permit\n"
    )


def test_load_knowledge_raises_with_every_problem(kb_copy: Path) -> None:
    edit(kb_copy / "routes" / "eaeu.yaml", "documents: [passport_copy]", "documents: [nope]")
    edit(kb_copy / "facts" / "core.yaml", "value: 3\n", "value: three\n")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(kb_copy)
    messages = [p.message for p in raised.value.problems]
    assert "unknown document 'nope'" in messages
    assert any("needs a number" in m for m in messages)


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("smalltalk.yaml", "  - id: greeting\n", "  - id: greeting\n    id: again\n",
         "duplicate key 'id'"),
        ("facts/core.yaml", "  mci:\n", "  mci: &anchor\n", "anchors (&name) are not allowed"),
        ("flows/worker.yaml", "    fact: family\n", "    fakt: family\n",
         "unknown field 'fakt'"),
        ("flows/worker.yaml", "    next: family\n", "    next: famly\n", "unknown node 'famly'"),
        ("flows/worker.yaml", "    next: permit_result\n  permit_result:",
         "    next: citizenship\n  permit_result:", "loop: "),
        ("flows/worker.yaml", "      - when: {family: spouse}", "      - when: {family: wife}",
         "'wife' is not an answer of the question that records 'family'"),
        ("flows/worker.yaml", "      - when: {family: spouse}", "      - when: {pets: cat}",
         "no question of this flow records 'pets'"),
        ("flows/worker.yaml", "    route: eaeu\n", "    route: eaeu_x\n", "unknown route 'eaeu_x'"),
        ("routes/permit.yaml", "Notify arrival within {arrival_notice_days}",
         "Notify arrival within {arival_days}", "unknown fact {arival_days}"),
        ("routes/permit.yaml", "reviewed: 2026-11-25", "reviewed: 25.11.2026",
         "is not a date; write it as YYYY-MM-DD"),
        ("documents.yaml", "    prepared_by: employer", "    prepared_by: lawyer",
         "'lawyer' is not allowed here"),
        ("faq/general.yaml", ", срок разрешения, скока действует разрешение]", "]",
         "give at least 3 ways to ask in ru (found 1)"),
        ("faq/general.yaml", "  - id: arrival_notice", "  - id: wp_validity",
         "faq id 'wp_validity' is already used"),
        ("documents.yaml", "when: {family: [spouse]}", "when: {family: [husband]}",
         "'husband' is not an answer recorded as 'family'"),
        ("meta.yaml", "languages: [ru, kk, en]", "languages: [ru, en]", "must list ru, kk and en"),
        ("routes/eaeu.yaml", "id: eaeu", "id: Eaeu", "is not a valid id"),
        ("faq/general.yaml", "    topic: arrival", "    topic: arrivals",
         "topic 'arrivals' has no title in meta.yaml (topics:)"),
    ],
)
def test_each_kind_of_mistake_gets_a_precise_message(
    kb_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    path = kb_copy / file
    edit(path, old, new)
    found = problems_of(kb_copy)
    matching = [p for p in found if expected in p]
    assert matching, f"{expected!r} not reported; got:\n" + "\n".join(found)
    assert all(p.startswith(f"{path}:") for p in matching)


def test_yaml_1_1_booleans_stay_answer_ids(small_kb) -> None:
    options = small_kb.flows["worker"].nodes["spouse_job"].options
    assert [o.id for o in options] == ["yes", "no"]


def test_invalid_utf8_tabs_and_stray_files(kb_copy: Path) -> None:
    (kb_copy / "faq" / "broken.yaml").write_bytes(b"faq:\n  - id: x\n    topic: \xff\xfe\n")
    (kb_copy / "faq" / "tabs.yaml").write_text("faq:\n\t- id: y\n", encoding="utf-8")
    (kb_copy / "notes.yaml").write_text("hello: world\n", encoding="utf-8")
    found = problems_of(kb_copy)
    assert f"{kb_copy / 'faq' / 'broken.yaml'}:3: not valid UTF-8: save the file as UTF-8" in found
    assert f"{kb_copy / 'faq' / 'tabs.yaml'}:2: tab used for indentation; use spaces" in found
    assert any(p.startswith(f"{kb_copy / 'notes.yaml'}:1: the bot does not read") for p in found)


def test_a_yaml_bomb_is_refused_without_expanding(kb_copy: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    (kb_copy / "faq" / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems_of(kb_copy)
    assert any("aliases (*name) are not allowed" in p for p in found)


def test_deep_nesting_is_refused(kb_copy: Path) -> None:
    (kb_copy / "faq" / "deep.yaml").write_text("faq: " + "[" * 60 + "]" * 60 + "\n",
                                               encoding="utf-8")
    assert any("nested deeper than" in p for p in problems_of(kb_copy))


def test_nesting_100000_levels_deep_is_a_problem_with_a_line(kb_copy: Path) -> None:
    """#17: this once ended in a RecursionError (3,000 lines of traceback); now one problem."""
    (kb_copy / "faq" / "deep.yaml").write_text(
        "faq:\n  - id: x\n    answer: " + "[" * 100_000 + "]" * 100_000 + "\n",
        encoding="utf-8")
    found = [p for p in problems_of(kb_copy) if "deep.yaml" in p]
    assert found == [f"{kb_copy / 'faq' / 'deep.yaml'}:3: nested deeper than 40 levels"], found


def test_a_folder_of_junk_is_refused_at_once_and_problems_are_capped(kb_copy: Path) -> None:
    """#17: 10 MB of junk took 109 s to reject; a base over the size limit is refused before
    parsing, and a smaller folder of junk gets at most MAX_PROBLEMS problems."""
    from knowledge.loader import MAX_PROBLEMS, MAX_TOTAL_BYTES

    junk = "".join(f"  - id: junk_{i}\n    topic: nothing\n" for i in range(20_000))
    (kb_copy / "faq" / "junk.yaml").write_text("faq:\n" + junk, encoding="utf-8")
    found = problems_of(kb_copy)
    assert len(found) == MAX_PROBLEMS and "more problems; fix these first" in found[-1]
    for i in range(6):  # well over MAX_TOTAL_BYTES in all
        (kb_copy / "faq" / f"junk{i}.yaml").write_text("faq:\n" + junk * 2, encoding="utf-8")
    assert sum(p.stat().st_size for p in kb_copy.rglob("*.yaml")) > MAX_TOTAL_BYTES
    (problem,) = problems_of(kb_copy)
    assert "the limit is" in problem and "junk" in problem


def test_stale_lists_old_reviews(kb_copy: Path) -> None:
    edit(kb_copy / "routes" / "eaeu.yaml", "reviewed: 2026-11-25", "reviewed: 2020-01-01")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(kb_copy), "--stale", "180"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 0
    assert "route eaeu: reviewed 2020-01-01" in result.stdout
    assert "route permit" not in result.stdout


def test_an_faq_entry_for_an_unknown_route_is_reported(kb_copy: Path) -> None:
    faq = kb_copy / "faq" / "general.yaml"
    edit(faq, "  - id: wp_validity\n", "  - id: wp_validity\n    routes: [eaeu, permt]\n")
    problems = [str(p) for p in check_knowledge(kb_copy)[1]]
    assert len(problems) == 1, problems
    assert "unknown route 'permt'" in problems[0] and "general.yaml" in problems[0], problems


def test_an_entry_without_an_official_source_is_reported_unless_marked(kb_copy: Path) -> None:
    meta = kb_copy / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8")
                    + "official_domains: [adilet.zan.kz, gov.kz]\n", encoding="utf-8")
    found = problems_of(kb_copy)
    assert any("general.yaml" in p and "no official source" in p for p in found)
    faq = kb_copy / "faq" / "general.yaml"
    text = faq.read_text(encoding="utf-8").replace(
        "sources: [firm guide]",
        "sources: [{title: Правила, issuer: МВД, date: 2025-11-17, "
        "url: 'https://www.gov.kz/memleket/entities/qriim'}]")
    faq.write_text(text, encoding="utf-8")
    route_problems = [p for p in problems_of(kb_copy) if "no official source" in p]
    assert route_problems and not any("general.yaml" in p for p in route_problems)
    for route in (kb_copy / "routes").glob("*.yaml"):
        edit(route, "reviewed: 2026-11-25", "reviewed: 2026-11-25\nunofficial: only the guide")
    assert check_knowledge(kb_copy)[1] == []
