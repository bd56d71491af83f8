"""Interview navigation: answer, back, change an answer, restart, progress (small test base)."""

from __future__ import annotations

import pytest

from dialogs.paths import all_paths
from dialogs.walker import FlowWalker, StaleAnswer
from knowledge import load_knowledge


@pytest.fixture
def walker(small_kb) -> FlowWalker:
    return FlowWalker(small_kb.flows["worker"])


def test_start_asks_the_first_question(walker: FlowWalker) -> None:
    step = walker.start("v1")
    assert step.state.node == "citizenship"
    assert step.state.history == [] and step.state.answers == {}


def test_answers_lead_through_info_nodes_to_an_outcome(walker: FlowWalker) -> None:
    step = walker.answer(walker.start("v1").state, "citizenship", "other")
    assert step.state.node == "family"
    assert step.new_info == ("note",)  # the info node is shown once, on the way
    step = walker.answer(step.state, "family", "none")
    assert step.state.node == "permit_result"
    assert step.state.answers == {"citizenship_group": "other", "family": "none"}


def test_an_answer_to_another_question_is_refused(walker: FlowWalker) -> None:
    state = walker.start("v1").state
    with pytest.raises(StaleAnswer):
        walker.answer(state, "family", "none")
    with pytest.raises(StaleAnswer):
        walker.answer(state, "citizenship", "martian")


def test_back_returns_to_the_previous_question_and_marks_the_old_answer(walker) -> None:
    state = walker.answer(walker.start("v1").state, "citizenship", "other").state
    state = walker.answer(state, "family", "spouse").state
    assert state.node == "spouse_job"
    back = walker.back(state).state
    assert back.node == "family"
    assert back.changing == "spouse"
    assert "family" not in back.answers
    assert walker.back(walker.start("v1").state).state.node == "citizenship"


def test_change_keeps_later_answers_that_still_apply(walker: FlowWalker) -> None:
    state = walker.start("v1").state
    for node, option in (("citizenship", "other"), ("family", "spouse"), ("spouse_job", "yes")):
        state = walker.answer(state, node, option).state
    assert state.node == "permit_result"
    # Change "family" to the same answer: the spouse question is still on the path and answered.
    changing = walker.change(state, "family").state
    assert changing.node == "family" and changing.changing == "spouse"
    again = walker.answer(changing, "family", "spouse").state
    assert again.node == "permit_result"
    assert again.answers["spouse_job"] == "yes"


def test_change_drops_answers_that_fall_off_the_path(walker: FlowWalker) -> None:
    state = walker.start("v1").state
    for node, option in (("citizenship", "other"), ("family", "spouse"), ("spouse_job", "yes")):
        state = walker.answer(state, node, option).state
    state = walker.answer(walker.change(state, "family").state, "family", "none").state
    assert state.node == "permit_result"
    assert "spouse_job" not in state.answers


def test_change_to_a_different_branch_asks_only_new_questions(walker: FlowWalker) -> None:
    state = walker.answer(walker.start("v1").state, "citizenship", "eaeu").state
    assert state.node == "eaeu_result"
    state = walker.answer(walker.change(state, "citizenship").state, "citizenship", "other").state
    assert state.node == "family"


def test_change_of_an_unanswered_question_is_refused(walker: FlowWalker) -> None:
    with pytest.raises(StaleAnswer):
        walker.change(walker.start("v1").state, "family")


def test_progress_counts_questions(walker: FlowWalker) -> None:
    state = walker.start("v1").state
    assert walker.progress(state) == (1, 1, 3)  # EAEU ends after 1 question, others take 3
    state = walker.answer(state, "citizenship", "other").state
    number, low, high = walker.progress(state)
    assert number == 2 and low <= high and high >= number


@pytest.mark.parametrize("flow_id", ["worker", "employer"])
def test_the_question_count_only_narrows_on_every_path(flow_id: str) -> None:
    """From the answers so far: the fewest never falls, the most never rises, and the current
    number is never above the most ("Question 2 of about 2" after "1 of about 4")."""
    kb = load_knowledge()
    walker = FlowWalker(kb.flows[flow_id])
    for answers, _outcome in all_paths(kb.flows[flow_id]):
        state = walker.start(kb.version).state
        previous = None
        for node_id, option_id in answers:
            number, low, high = walker.progress(state)
            assert number <= high and low <= high, (answers, node_id)
            if previous is not None:
                assert low >= previous[1] and high <= previous[2], (answers, node_id)
            previous = (number, low, high)
            state = walker.answer(state, node_id, option_id).state


def test_restart_forgets_everything(walker: FlowWalker) -> None:
    state = walker.answer(walker.start("v1").state, "citizenship", "other").state
    fresh = walker.restart(state).state
    assert fresh.node == "citizenship" and fresh.answers == {} and fresh.history == []
