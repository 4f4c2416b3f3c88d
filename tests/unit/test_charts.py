"""The chart helpers: top-N with others, bars that each keep a label, the product template."""

import pandas as pd
import plotly.io as pio

from salesops import formatting as fmt
from salesops.ui import charts


def _reps(n: int) -> pd.DataFrame:
    return pd.DataFrame({"rep": [f"Rep {i:02d}" for i in range(n)], "won": [float(i + 1) * 1000 for i in range(n)]})


def test_top_n_keeps_the_largest_and_sums_the_rest_into_others() -> None:
    shown = charts.top_n(_reps(10), "rep", "won", 3, "Others")
    assert list(shown["rep"]) == ["Rep 09", "Rep 08", "Rep 07", "Others"]
    assert shown["won"].sum() == _reps(10)["won"].sum()
    assert shown["won"].iloc[-1] == sum(range(1, 8)) * 1000


def test_top_n_does_not_make_an_others_bar_of_one_row() -> None:
    assert list(charts.top_n(_reps(4), "rep", "won", 3, "Others")["rep"]) == ["Rep 03", "Rep 02", "Rep 01", "Rep 00"]


def test_ranked_bars_label_every_bar_and_grow_with_the_count() -> None:
    small = charts.ranked_bars(_reps(5), "rep", "won", text=fmt.money_compact)
    large = charts.ranked_bars(_reps(24), "rep", "won", text=fmt.money_compact)
    assert list(large.data[0].y) == [f"Rep {i:02d}" for i in range(23, -1, -1)]
    assert large.layout.yaxis.dtick == 1
    assert large.data[0].text[0] == "$24k"
    assert large.layout.height > small.layout.height


def test_ranked_bars_past_top_show_others_in_the_others_colour() -> None:
    fig = charts.ranked_bars(_reps(40), "rep", "won", top=30, others="Others")
    assert len(fig.data[0].y) == 31
    assert fig.data[0].y[-1] == "Others"
    assert fig.data[0].marker.color[-1] == charts.COLORS["others"]


def test_template_is_registered_and_actual_is_not_red() -> None:
    assert charts.TEMPLATE_NAME in pio.templates
    assert charts.COLORS["actual"].upper() not in {"#EF553B", "#FF0000", "#DC2626", "#D62728"}
