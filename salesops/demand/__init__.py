"""Demand planning beyond the statistical forecast: weighted pipeline, lead-implied demand, service hours."""

from salesops.demand.calendar import first_forecast_month
from salesops.demand.leads import LeadDemand, lead_demand, leads_needed, leads_needed_frame
from salesops.demand.pipeline import PipelineForecast, pipeline_forecast
from salesops.demand.service import ServiceHours, service_demand, tier_customers, tier_shares

__all__ = [
    "LeadDemand",
    "PipelineForecast",
    "ServiceHours",
    "first_forecast_month",
    "lead_demand",
    "leads_needed",
    "leads_needed_frame",
    "pipeline_forecast",
    "service_demand",
    "tier_customers",
    "tier_shares",
]
