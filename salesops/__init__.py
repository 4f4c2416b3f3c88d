"""Sales Ops Planner domain package: ingest, store, KPIs, forecasts, capacity and plans, free of Streamlit."""
