"""Demand-planning forecast engine: model choice by rolling-origin backtest, intervals, reconciliation, assumptions."""
