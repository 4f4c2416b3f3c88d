"""Step 3 · Supply planning: can we deliver step 2's demand, and if not, whom to hire, by when, at what cost, and
what else binds."""

from dataclasses import replace

import streamlit as st

from salesops.capacity import plan_supply
from salesops.ui import (
    supply_controls,
    supply_data,
    supply_funnel,
    supply_gap,
    supply_hiring,
    supply_save,
    supply_scenarios,
    supply_whatif,
)
from salesops.ui.common import plain, t

st.title(t("3 · Supply planning"))
st.caption(t("Can we deliver the demand, and if not: whom do we hire, by when, at what cost, and what else binds."))
source = supply_data.pick_source()
base = supply_data.load(source)
if base is None:
    st.info(t("No won deals in this workspace, so there is no demand to plan supply for. Import deals on page 1."))
    st.page_link("pages/1_data_collection.py", label=t("Import data"), icon=":material/upload_file:")
    st.stop()
st.info(plain(base.demand.note))  # names a plan the user titled
settings = supply_controls.render(base)
supply_data.defaults_note(base, settings)
tabs = st.tabs([t("Gap"), t("Hiring plan"), t("What-ifs"), t("Reverse funnel"), t("Scenarios")])
with tabs[1]:
    planned = supply_hiring.planned_hires(base.demand.periods)
with tabs[2]:
    whatifs = supply_whatif.inputs(base.demand.periods)
top = bool(st.session_state.get("supply_top_performers", False))
settings = replace(settings, planned=planned, whatifs=whatifs, top_performer_activity=top)
result = plan_supply(base, replace(settings, scenario=source.scenario))
with tabs[0]:
    supply_gap.tiles(result)
    supply_gap.render(result)
with tabs[1]:
    supply_hiring.render(result)
with tabs[2]:
    supply_whatif.render(result)
with tabs[3]:
    supply_funnel.render(base, result)
with tabs[4]:
    supply_scenarios.render(base, settings, result)
st.subheader(t("Save supply into the plan"))
supply_save.render(base, result)
