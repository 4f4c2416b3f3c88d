"""Lead and deal scoring (fit + engagement), learned from won/lost history and explained in words."""

from salesops.scoring.model import ScoringModel, adjusted_weights, score, train
from salesops.scoring.store import load_deals, load_leads, score_cli_payload, score_workspace

__all__ = [
    "ScoringModel",
    "adjusted_weights",
    "load_deals",
    "load_leads",
    "score",
    "score_cli_payload",
    "score_workspace",
    "train",
]
