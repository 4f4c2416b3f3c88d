"""Stage order: the CRM's own sequence from probabilities, known pipelines, deal ages, history and the user's order."""

from __future__ import annotations

import random

import pytest

from salesops.kpi.stages import (
    STAGE_WORDS,
    StageStats,
    infer_order,
    merge_saved,
    stats_from_values,
    typical_probability,
)

ZOHO_STAGES = [
    "Needs Analysis",
    "Initial Offer",
    "Prospect",
    "Qualification",
    "Negotiation/Review",
    "Proposal/Price Quote",
]


def test_zoho_stages_with_random_probabilities_follow_the_pipeline() -> None:
    rng = random.Random(0)
    stages = [s for s in ZOHO_STAGES for _ in range(50)]
    probabilities = [rng.choice([0, 10, 50, 90, 100]) for _ in stages]  # unrelated to the stage, as in the sample
    order = infer_order(stats_from_values(stages, probabilities))
    assert order == [
        "Prospect",
        "Qualification",
        "Needs Analysis",
        "Initial Offer",
        "Proposal/Price Quote",
        "Negotiation/Review",
    ]


def test_probabilities_that_follow_the_stage_decide_over_the_vocabulary() -> None:
    stats = [
        StageStats("Negotiation", 5, 20.0, 0.0),
        StageStats("Alpha", 5, 60.0, 0.0),
        StageStats("Beta", 5, 40.0, 1.0),
    ]
    assert infer_order(stats) == ["Negotiation", "Beta", "Alpha"]


def test_unknown_stage_sits_among_known_stages_by_the_age_of_its_deals() -> None:
    stats = [
        StageStats("Qualification", 3, mean_created_day=300.0),
        StageStats(
            "Technical Fit", 3, mean_created_day=200.0
        ),  # older than Qualification's, younger than Negotiation's
        StageStats("Negotiation", 3, mean_created_day=100.0),
    ]
    assert typical_probability("Technical Fit") is None
    assert infer_order(stats) == ["Qualification", "Technical Fit", "Negotiation"]


def test_history_of_deals_moving_between_stages_overrides_the_guess() -> None:
    stats = [StageStats("Qualification", 3), StageStats("Demo", 3), StageStats("Proposal", 3)]
    assert infer_order(stats) == ["Qualification", "Demo", "Proposal"]
    moved = {("Proposal", "Demo"): 4, ("Demo", "Proposal"): 1}
    assert infer_order(stats, moved) == ["Qualification", "Proposal", "Demo"]


def test_saved_order_wins_and_new_stages_slot_in_after_their_predecessor() -> None:
    inferred = ["A", "B", "New", "C"]
    assert merge_saved(inferred, ["C", "B", "A"]) == ["C", "B", "New", "A"]
    assert merge_saved(inferred, []) == inferred
    assert merge_saved(["A"], ["Gone", "A"]) == ["A"]


def test_vendor_labels_and_words() -> None:
    assert typical_probability("Id. Decision Makers") == 60
    assert typical_probability("qualifiedtobuy") == 40
    assert typical_probability("Closed - Negotiating terms") == 90
    assert typical_probability("Renewal") is None


def test_another_languages_stage_words_are_data(monkeypatch: pytest.MonkeyPatch) -> None:
    assert typical_probability("合同谈判") is None
    monkeypatch.setitem(STAGE_WORDS, "谈判", 90)
    monkeypatch.setitem(STAGE_WORDS, "资格", 10)
    assert typical_probability("合同谈判") == 90
    assert infer_order([StageStats("合同谈判", 2), StageStats("资格审查", 2)]) == ["资格审查", "合同谈判"]
