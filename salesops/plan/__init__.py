"""Plans: saved versions with their assumptions and the lines they commit to (demand, capacity …)."""

from salesops.plan.drafts import Plan, latest_plan, list_plans, plan_version, save_draft

__all__ = ["Plan", "latest_plan", "list_plans", "plan_version", "save_draft"]
