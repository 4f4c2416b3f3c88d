"""Top vs bottom performers of step 1: how each group sells and spends its time, and where the bottom falls short."""

from salesops.performers.compare import PerformerComparison, compare_performers, training_gaps

__all__ = ["PerformerComparison", "compare_performers", "training_gaps"]
