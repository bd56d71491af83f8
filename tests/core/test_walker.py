"""Interview navigation: answer, back, change an answer, restart, progress (small test base)."""

from __future__ import annotations

import pytest

from dialogs.walker import FlowWalker, StaleAnswer


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
    assert walker.progress(state) == (1, 2)  # 1 to 3 questions ahead: "about 2"
    state = walker.answer(state, "citizenship", "other").state
    number, total = walker.progress(state)
    assert number == 2 and total >= number


def test_restart_forgets_everything(walker: FlowWalker) -> None:
    state = walker.answer(walker.start("v1").state, "citizenship", "other").state
    fresh = walker.restart(state).state
    assert fresh.node == "citizenship" and fresh.answers == {} and fresh.history == []
