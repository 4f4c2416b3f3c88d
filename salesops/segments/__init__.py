"""Customer segmentation of step 1: the ideal customer profile from won/lost history, and reps' segment focus."""

from salesops.segments.icp import DIMENSIONS, ICPResult, icp, ideal_profile, rep_focus

__all__ = ["DIMENSIONS", "ICPResult", "icp", "ideal_profile", "rep_focus"]
