"""Scoring model: learned weights on a known signal, rules fallback, adjustments, AUC and calibration helpers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from salesops.scoring import adjusted_weights, score, train
from salesops.scoring.model import auc_score, calibration_table, drivers_in_words, stratified_split


def synthetic(n: int = 1200, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    """Visits and a Referral source raise conversion; "Noise" is unrelated to it."""
    rng = np.random.default_rng(seed)
    visits = rng.poisson(3, n)
    source = rng.choice(["Google", "Referral", "Event"], n, p=[0.5, 0.3, 0.2])
    noise = rng.normal(size=n)
    logit = -2.5 + 0.8 * visits + 1.5 * (source == "Referral")
    label = pd.Series(rng.random(n) < 1 / (1 + np.exp(-logit)))
    frame = pd.DataFrame({"Web Visits": visits, "Lead source": source, "Noise": noise})
    return frame, label


def test_known_signal_is_learned_and_noise_gets_almost_no_weight() -> None:
    frame, label = synthetic()
    model = train(frame, label, seed=0)
    assert model.method == "logistic"
    assert (model.n_train, model.n_test) == (900, 300)
    assert model.auc is not None
    assert model.auc > 0.75
    coef = model.coefficients.set_index("term")["coefficient"]
    assert coef["Web Visits"] > 1.0
    assert coef["Lead source = Referral"] > 1.0
    assert coef["Lead source = Event"] == 0.0  # no effect in the data: removed by the L1 penalty
    assert abs(coef["Noise"]) < 0.25 * coef["Web Visits"]
    assert any("Lead source = Referral (vs Google) raises the odds of converting" in s for s in model.explanation)
    assert model.calibration["n"].sum() == 300
    assert model.calibration["observed"].iloc[-1] > model.calibration["observed"].iloc[0]


def test_same_seed_same_model() -> None:
    frame, label = synthetic(600)
    first, second = train(frame, label, seed=3), train(frame, label, seed=3)
    pd.testing.assert_frame_equal(first.coefficients, second.coefficients)
    assert first.auc == second.auc


def test_single_class_history_falls_back_to_rules_and_says_so() -> None:
    frame, _ = synthetic(200)
    model = train(frame, pd.Series(False, index=frame.index))
    assert model.method == "rules"
    assert model.auc is None
    assert "Too little won/lost history" in model.explanation[0]
    scores = score(model, frame)
    assert scores.between(0, 100).all()
    order = frame["Web Visits"].argsort()
    assert scores.iloc[order].is_monotonic_increasing  # more engagement, higher score
    assert not any("Noise" in line for line in model.explanation[1:2])  # noise is not an engagement measure


def test_thin_history_uses_rules_with_base_rate_and_measured_auc() -> None:
    frame, _ = synthetic(200)
    label = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    label.iloc[:10] = True
    label.iloc[10:110] = False
    model = train(frame, label)
    assert model.method == "rules"
    assert model.intercept == pytest.approx(math.log(10 / 110 / (100 / 110)))
    assert model.auc is not None
    assert any("AUC of the rules over the 110 rows" in s for s in model.explanation)


def test_a_column_that_is_the_outcome_is_left_out_as_leakage() -> None:
    frame, label = synthetic(600)
    frame["Tags"] = np.where(label, "Closed by Horizzon", "Lost to competitor")
    model = train(frame, label)
    assert "Tags" not in model.features
    assert any("probably recorded after the outcome" in s and "Tags" in s for s in model.explanation)


def test_adjustments_move_scores_monotonically_without_refitting() -> None:
    frame, label = synthetic()
    model = train(frame, label)
    busy = frame["Web Visits"] > frame["Web Visits"].median() + 1
    means = [score(model, frame, {"engagement": m})[busy].mean() for m in (0.0, 0.5, 1.0, 2.0)]
    assert means == sorted(means)
    assert means[0] < means[-1]
    per_feature = [score(model, frame, {"Web Visits": m})[busy].mean() for m in (0.0, 1.0, 3.0)]
    assert per_feature == sorted(per_feature)
    flat = score(model, frame, {"fit": 0.0, "engagement": 0.0})
    assert flat.nunique() == 1
    assert flat.iloc[0] == round(100 / (1 + math.exp(-model.intercept)), 1)
    weights = adjusted_weights(model, {"Lead source": 2.0}).set_index("term")
    assert weights.loc["Lead source = Referral", "weight"] == pytest.approx(
        2 * weights.loc["Lead source = Referral", "coefficient"]
    )


def test_adjustments_reject_unknown_names_and_negative_multipliers() -> None:
    frame, label = synthetic(600)
    model = train(frame, label)
    with pytest.raises(ValueError, match="Web Visitz"):
        score(model, frame, {"Web Visitz": 2.0})
    with pytest.raises(ValueError, match="zero or more"):
        score(model, frame, {"fit": -1.0})


def test_auc_hand_computed_with_ties() -> None:
    y = pd.Series([False, False, True, True])
    assert auc_score(y, pd.Series([0.1, 0.4, 0.35, 0.8])) == pytest.approx(0.75)
    assert auc_score(y, pd.Series([0.5, 0.5, 0.5, 0.5])) == pytest.approx(0.5)
    assert auc_score(pd.Series([True, True]), pd.Series([0.1, 0.2])) is None


def test_stratified_split_keeps_class_shares_and_is_seeded() -> None:
    y = pd.Series([True] * 40 + [False] * 60, index=[f"L{i}" for i in range(100)])
    train_idx, test_idx = stratified_split(y, share=0.25, seed=7)
    assert (int(y[test_idx].sum()), int((~y[test_idx]).sum())) == (10, 15)
    assert len(train_idx) == 75
    assert not set(train_idx) & set(test_idx)
    assert list(stratified_split(y, share=0.25, seed=7)[1]) == list(test_idx)


def test_calibration_table_by_predicted_rank() -> None:
    table = calibration_table(pd.Series([False, True, False, True]), pd.Series([0.1, 0.2, 0.7, 0.9]), bins=2)
    expected = pd.DataFrame({"decile": [1, 2], "n": [2, 2], "predicted": [0.15, 0.8], "observed": [0.5, 0.5]})
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_drivers_read_as_odds_multipliers() -> None:
    table = pd.DataFrame(
        {
            "term": ["Lead source = Referral", "Web Visits", "Industry = Mining"],
            "feature": ["Lead source", "Web Visits", "Industry"],
            "group": ["fit", "engagement", "fit"],
            "kind": ["level", "numeric", "level"],
            "level": ["Referral", "", "Mining"],
            "reference": ["Google", "", "Retail"],
            "coefficient": [math.log(2.3), math.log(1.5), -math.log(4)],
        }
    )
    assert drivers_in_words(table, "converting") == [
        "Lead source = Referral (vs Google) raises the odds of converting 2.3×.",
        "Each standard deviation more Web Visits (log scale) raises the odds of converting 1.5×.",
        "Industry = Mining (vs Retail) lowers the odds of converting 4.0×.",
    ]


def test_a_level_that_separates_outcomes_keeps_finite_penalised_weights() -> None:
    frame, label = synthetic()
    vip = np.arange(len(frame)) % 8 == 0
    frame["Plan"] = np.where(vip, "VIP", "Std")
    label[vip] = True  # every VIP converts: the unpenalised refit would run off to infinity
    model = train(frame, label)
    coef = model.coefficients.set_index("term")["coefficient"]
    assert 0 < coef["Plan = VIP"] < 10
    assert score(model, frame)[vip].mean() > score(model, frame)[~vip].mean()
