"""Forecast accuracy of step 1: the deals' own forecast vs what was booked, per month and rep, and plan vs actual."""

from salesops.accuracy.forecast import AccuracyResult, forecast_vs_actual, plan_vs_actual, rep_bias

__all__ = ["AccuracyResult", "forecast_vs_actual", "plan_vs_actual", "rep_bias"]
