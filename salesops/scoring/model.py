"""Fit + engagement scoring: L1-regularised logistic regression on won/lost history, or transparent rules.

Method. With at least ``MIN_CLASS`` examples of each outcome the weights are learned by a "relaxed lasso" logistic
regression, ``statsmodels GLM(Binomial).fit_regularized(L1_wt=1, refit=True)``, on a seeded, stratified 75 % training
split; the other 25 % gives the holdout AUC and the calibration table. The L1 penalty per coefficient is
``sqrt(n_train)`` on the log-likelihood (the intercept is not penalised): on standardised features a coefficient
survives only when its score statistic exceeds roughly two standard errors, so pure noise is set to zero. The
surviving terms are then refitted without penalty, so the probabilities are not shrunk towards the mean (unless the
refit runs away on a level that separates the outcomes, then the penalised weights are kept).

Leakage guard: a single column that alone ranks the training outcomes with an AUC of ``LEAKAGE_AUC`` or more is
dropped as probably recorded after the outcome (e.g. X Education's "Tags" = "Closed by Horizzon"); the explanation
says so.

Rules. With thinner history (or a single class) the score is transparent: every numeric engagement measure adds
``RULE_WEIGHT`` log-odds per standard deviation, fit is not weighted, and the intercept is the observed base rate
(0.5 with no history). The explanation says which method was used and why.

Score. ``100 × P(outcome)``; with the learned weights and no adjustments this is a calibrated probability (see
``ScoringModel.calibration``). Adjustments multiply weights per group ("fit", "engagement") and per feature,
without refitting; the result is then a ranking score rather than a calibrated probability.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm

from salesops.scoring.features import FeatureSpec, fit_spec

MIN_CLASS = 30
LEAKAGE_AUC = 0.9
PENALTY = 1.0
MAX_COEFFICIENT = 10.0  # odds × 22 000 per unit: beyond this the refit has met separation
RULE_WEIGHT = 0.5
HOLDOUT_SHARE = 0.25
GROUPS = ("fit", "engagement")


@dataclass(frozen=True, eq=False)
class ScoringModel:
    """A trained (or rule-based) scorer with its evaluation and plain-language explanation."""

    method: Literal["logistic", "rules"]
    target: str  # what a positive label means, e.g. "converting" or "winning"
    features: tuple[str, ...]  # source columns that carry weight or could (numeric first)
    intercept: float
    coefficients: pd.DataFrame  # term, feature, group, kind, level, reference, coefficient, odds_ratio
    auc: float | None  # holdout AUC (logistic) or AUC over all labelled rows (rules); None with one class
    calibration: pd.DataFrame  # decile, n, predicted, observed
    explanation: tuple[str, ...]
    n_train: int
    n_test: int
    spec: FeatureSpec


def train(
    frame: pd.DataFrame,
    label: pd.Series,
    *,
    seed: int = 0,
    target: str = "converting",
    groups: Mapping[str, str] | None = None,
) -> ScoringModel:
    """Learn weights from rows whose ``label`` is known (True/False; NA = open) or fall back to rules."""
    known = label.notna()
    y = label[known].astype(bool)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives < MIN_CLASS or negatives < MIN_CLASS:
        return _rules(frame, label, target=target, groups=groups)
    train_idx, test_idx = stratified_split(y, share=HOLDOUT_SHARE, seed=seed)
    x_train, y_train = frame.loc[train_idx], y.loc[train_idx]
    spec = fit_spec(x_train, groups=groups)
    leaks = _leaky_features(spec, x_train, y_train)
    spec = spec.without(leaks)
    design = spec.design(x_train)
    exog = np.column_stack([np.ones(len(design)), design.to_numpy()])
    alpha = np.full(exog.shape[1], PENALTY / math.sqrt(len(design)))  # GLM scales the log-likelihood by 1/n
    alpha[0] = 0.0
    glm = sm.GLM(y_train.to_numpy(dtype=float), exog, family=sm.families.Binomial())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; the holdout AUC and calibration are the judges
        params = np.asarray(glm.fit_regularized(alpha=alpha, L1_wt=1.0, refit=True).params, dtype=float)
        if not np.all(np.isfinite(params)) or np.abs(params[1:]).max(initial=0.0) > MAX_COEFFICIENT:
            # a level that separates the outcomes makes the unpenalised refit run away: keep the penalised fit
            params = np.asarray(glm.fit_regularized(alpha=alpha, L1_wt=1.0).params, dtype=float)
    coefficients = _coefficient_table(spec, params[1:])
    model = ScoringModel(
        method="logistic",
        target=target,
        features=spec.features,
        intercept=float(params[0]),
        coefficients=coefficients,
        auc=None,
        calibration=pd.DataFrame(),
        explanation=(),
        n_train=len(train_idx),
        n_test=len(test_idx),
        spec=spec,
    )
    test_prob = probabilities(model, frame.loc[test_idx])
    y_test = y.loc[test_idx]
    notes = [
        f"Weights learned by L1-selected logistic regression on {len(train_idx)} rows with a known "
        f"outcome ({positives} positive, {negatives} negative overall); holdout AUC "
        f"{auc_score(y_test, test_prob):.3f} on {len(test_idx)} held-out rows."
    ]
    if leaks:
        notes.append(
            "Left out as probably recorded after the outcome (alone it predicts it almost perfectly): "
            + ", ".join(leaks)
            + "."
        )
    notes.extend(drivers_in_words(coefficients, target))
    return replace(
        model,
        auc=auc_score(y_test, test_prob),
        calibration=calibration_table(y_test, test_prob),
        explanation=tuple(notes),
    )


def probabilities(
    model: ScoringModel, frame: pd.DataFrame, adjustments: Mapping[str, float] | None = None
) -> pd.Series:
    """P(outcome) per row of ``frame`` under the model's weights times the user's multipliers."""
    weights = adjusted_weights(model, adjustments)
    design = model.spec.design(frame)
    logit = model.intercept + design.to_numpy() @ weights["weight"].to_numpy()
    return pd.Series(1.0 / (1.0 + np.exp(-logit)), index=frame.index, name="probability")


def score(model: ScoringModel, frame: pd.DataFrame, adjustments: Mapping[str, float] | None = None) -> pd.Series:
    """Scores 0-100 (probability × 100, rounded to 0.1) per row; adjustments re-weight without refitting."""
    return (probabilities(model, frame, adjustments) * 100).round(1).rename("score")


def adjusted_weights(model: ScoringModel, adjustments: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The coefficient table with a ``weight`` column: coefficient × group multiplier × feature multiplier.

    Keys of ``adjustments`` are "fit", "engagement" or a source feature name (e.g. "TotalVisits"); values are
    non-negative multipliers (1 = as learned, 0 = ignore, 2 = twice as important).
    """
    adjustments = dict(adjustments or {})
    unknown = sorted(set(adjustments) - set(GROUPS) - set(model.features))
    if unknown:
        raise ValueError(f"unknown feature or group to adjust: {', '.join(unknown)}")
    negative = sorted(k for k, v in adjustments.items() if v < 0)
    if negative:
        raise ValueError(f"multipliers must be zero or more: {', '.join(negative)}")
    table = model.coefficients.copy()
    multiplier = table["group"].map(lambda g: adjustments.get(g, 1.0)) * table["feature"].map(
        lambda f: adjustments.get(f, 1.0)
    )
    table["weight"] = table["coefficient"] * multiplier.astype(float)
    return table


def stratified_split(y: pd.Series, *, share: float, seed: int) -> tuple[pd.Index, pd.Index]:
    """Seeded split keeping each class's share: ``round(share × n_class)`` rows of each class go to the test set."""
    rng = np.random.default_rng(seed)
    test: list[object] = []
    for cls in (False, True):
        idx = y.index[(y == cls).to_numpy()]
        take = round(share * len(idx))
        test.extend(idx[rng.permutation(len(idx))[:take]])
    test_index = pd.Index(test)
    return y.index.difference(test_index, sort=False), y.index.intersection(test_index, sort=False)


def auc_score(y: pd.Series, prob: pd.Series) -> float | None:
    """Area under the ROC curve (Mann-Whitney, ties count half); None when only one class is present."""
    labels = y.astype(bool).to_numpy()
    n_pos, n_neg = int(labels.sum()), int((~labels).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = pd.Series(np.asarray(prob, dtype=float)).rank(method="average").to_numpy()
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def calibration_table(y: pd.Series, prob: pd.Series, bins: int = 10) -> pd.DataFrame:
    """Predicted-probability deciles (by rank) with row count, mean predicted and observed rate, for a chart."""
    if len(y) == 0:
        return pd.DataFrame(columns=["decile", "n", "predicted", "observed"])
    prob = pd.Series(np.asarray(prob, dtype=float))
    decile = pd.qcut(prob.rank(method="first"), q=min(bins, len(prob)), labels=False) + 1
    frame = pd.DataFrame({"decile": decile, "p": prob, "y": np.asarray(y, dtype=float)})
    out = frame.groupby("decile", sort=True).agg(n=("y", "size"), predicted=("p", "mean"), observed=("y", "mean"))
    return out.reset_index()


def drivers_in_words(coefficients: pd.DataFrame, target: str, top: int = 5) -> list[str]:
    """Top positive and negative drivers as sentences, e.g. "Lead Source = Referral raises the odds ... 2.3×"."""
    live = coefficients[coefficients["coefficient"] != 0]
    lines = []
    ordered = pd.concat(
        [
            live[live["coefficient"] > 0].sort_values("coefficient", ascending=False, kind="stable").head(top),
            live[live["coefficient"] < 0].sort_values("coefficient", ascending=True, kind="stable").head(top),
        ]
    )
    for row in ordered.to_dict("records"):
        ratio = math.exp(float(row["coefficient"]))
        verb = "raises" if ratio > 1 else "lowers"
        factor = ratio if ratio > 1 else 1 / ratio
        if row["kind"] == "numeric":
            what = f"Each standard deviation more {row['feature']} (log scale)"
        elif row["kind"] == "missing":
            what = f"A missing {row['feature']}"
        else:
            what = f"{row['feature']} = {row['level']} (vs {row['reference']})"
        lines.append(f"{what} {verb} the odds of {target} {factor:.1f}×.")
    if live.empty:
        lines.append("No feature carried a reliable signal; every row gets the base rate.")
    return lines


def _coefficient_table(spec: FeatureSpec, params: np.ndarray) -> pd.DataFrame:
    table = spec.terms.assign(coefficient=np.asarray(params, dtype=float))
    table["odds_ratio"] = np.exp(table["coefficient"])
    return table


def _leaky_features(spec: FeatureSpec, frame: pd.DataFrame, y: pd.Series) -> list[str]:
    """Source columns whose values alone rank the training outcomes with AUC ≥ LEAKAGE_AUC (either direction)."""
    design = spec.design(frame)
    terms = spec.terms
    leaks = []
    for feature in spec.features:
        cols = terms.loc[terms["feature"] == feature, "term"].tolist()
        part = design[cols]
        if terms.loc[terms["feature"] == feature, "kind"].eq("level").all():
            # categorical: rank by the level's observed rate (the best any model of this column alone can do)
            key = pd.Series(part.to_numpy() @ np.arange(1, part.shape[1] + 1), index=part.index)
            signal = key.map(y.groupby(key).mean())
        else:
            signal = part[feature] if feature in part else part.iloc[:, 0]
        auc = auc_score(y, signal)
        if auc is not None and max(auc, 1 - auc) >= LEAKAGE_AUC:
            leaks.append(feature)
    return leaks


def _rules(frame: pd.DataFrame, label: pd.Series, *, target: str, groups: Mapping[str, str] | None) -> ScoringModel:
    """Transparent fallback: engagement measures add equally, the base rate sets the level."""
    known = label.notna()
    y = label[known].astype(bool)
    positives, negatives = int(y.sum()), int((~y).sum())
    spec = fit_spec(frame, groups=groups)
    terms = spec.terms
    weights = np.where((terms["kind"] == "numeric") & (terms["group"] == "engagement"), RULE_WEIGHT, 0.0)
    coefficients = _coefficient_table(spec, weights)
    base = min(max(positives / len(y), 0.02), 0.98) if len(y) else 0.5
    model = ScoringModel(
        method="rules",
        target=target,
        features=spec.features,
        intercept=math.log(base / (1 - base)),
        coefficients=coefficients,
        auc=None,
        calibration=pd.DataFrame(columns=["decile", "n", "predicted", "observed"]),
        explanation=(),
        n_train=0,
        n_test=0,
        spec=spec,
    )
    engaged = terms.loc[weights > 0, "feature"].tolist()
    notes = [
        f"Too little won/lost history to learn weights ({positives} positive, {negatives} negative; at least "
        f"{MIN_CLASS} of each needed), so scores use transparent rules."
    ]
    if engaged:
        notes.append(
            f"Each engagement measure adds the same weight ({RULE_WEIGHT} log-odds per standard deviation): "
            + ", ".join(engaged)
            + ". Fit attributes are not weighted until there is history to say which matter."
        )
    else:
        notes.append("No engagement measures were found, so every row gets the same score (the base rate).")
    auc, calibration = None, model.calibration
    if positives and negatives:
        prob = probabilities(model, frame.loc[y.index])
        auc, calibration = auc_score(y, prob), calibration_table(y, prob)
        notes.append(f"AUC of the rules over the {len(y)} rows with a known outcome: {auc:.3f}.")
    return replace(model, auc=auc, calibration=calibration, explanation=tuple(notes))
