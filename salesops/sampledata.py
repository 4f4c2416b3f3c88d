"""Seeded generator of the bundled sample CRM exports: deals, activities, leads, accounts and reps.

Every page's demo rests on this data, so it carries structure a real analysis can find: seasonality (Q4 peak,
summer dip, end-of-quarter push) and growth, a performance spread driven by behaviour (top reps run more
meetings and demos per deal and win more), segment/source/product effects, lead conversion that engagement
predicts, and a few deliberate data-quality issues. Pure numpy/pandas: the same seed gives the same frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from salesops.ingest.fields import ACTIVITY_TYPES as CANONICAL_ACTIVITY_TYPES

HISTORY_START = date(2023, 11, 1)
HISTORY_END = date(2026, 10, 31)  # the export date: deals closing later are open pipeline
PIPELINE_END = date(2027, 4, 30)  # latest expected close date of an open deal

TEAMS: dict[str, str] = {"SMB East": "SMB", "SMB West": "SMB", "Mid-Market": "Mid-Market", "Enterprise": "Enterprise"}
REGIONS: tuple[str, ...] = ("East", "West", "Central", "EMEA")
PRODUCTS: tuple[str, ...] = (
    "Core Platform",
    "Analytics Add-on",
    "Integrations Pack",
    "Premium Support",
    "Enterprise Suite",
)
LEAD_SOURCES: tuple[str, ...] = ("Web", "Referral", "Partner", "Outbound", "Event", "Paid Search")
INDUSTRIES: tuple[str, ...] = ("Software", "Healthcare", "Manufacturing", "Retail", "Financial Services", "Education")
OPEN_STAGES: tuple[str, ...] = ("Prospecting", "Qualification", "Proposal", "Negotiation")
STAGE_PROBABILITY: dict[str, int] = {
    "Prospecting": 10,
    "Qualification": 25,
    "Proposal": 50,
    "Negotiation": 75,
    "Closed Won": 100,
    "Closed Lost": 0,
}
FORECAST_CATEGORY: dict[str, str] = {
    "Prospecting": "Pipeline",
    "Qualification": "Pipeline",
    "Proposal": "Best Case",
    "Negotiation": "Commit",
    "Closed Won": "Closed",
    "Closed Lost": "Omitted",
}
# The CRM-style labels the sample export writes: the canonical activity types, title-cased.
ACTIVITY_TYPES: tuple[str, ...] = tuple(kind.title() for kind in CANONICAL_ACTIVITY_TYPES)
BROKEN_DEAL_ROWS = 3  # the last rows of deals.csv, each with one error a correct importer rejects

DEAL_COLUMNS: tuple[str, ...] = (
    "Deal ID",
    "Deal Name",
    "Account",
    "Owner",
    "Stage",
    "Amount",
    "Currency",
    "Created Date",
    "Close Date",
    "Probability (%)",
    "Lead Source",
    "Product",
    "Segment",
    "Region",
    "Deal Type",
    "Forecast Category",
)


@dataclass(frozen=True)
class _Segment:
    """How deals of one segment behave."""

    deal_size: float  # mean amount of a deal, all outcomes (lognormal; won deals skew a little smaller)
    size_sigma: float
    cycle_days: float  # median days from created to won
    win_rate: float
    deals_per_rep_month: float  # new deals a fully ramped rep opens per month at the start of the history
    activities_per_deal: float  # logged email/call/meeting/demo/task per won deal of an average rep
    expansion_share: float
    products: tuple[float, ...]  # probability of each of PRODUCTS
    sources: tuple[float, ...]  # probability of each of LEAD_SOURCES
    account_share: float
    employees_median: float
    employees_range: tuple[int, int]


_SEGMENTS: dict[str, _Segment] = {
    "SMB": _Segment(5_000, 0.55, 20, 0.27, 11.0, 7.0, 0.15, (0.55, 0.2, 0.15, 0.1, 0.0),
                    (0.32, 0.12, 0.10, 0.15, 0.06, 0.25), 0.55, 45, (5, 199)),
    "Mid-Market": _Segment(27_000, 0.55, 45, 0.22, 6.5, 12.0, 0.25, (0.4, 0.25, 0.15, 0.1, 0.1),
                           (0.20, 0.12, 0.13, 0.28, 0.12, 0.15), 0.30, 420, (200, 999)),
    "Enterprise": _Segment(140_000, 0.4, 90, 0.16, 3.6, 20.0, 0.3, (0.25, 0.15, 0.1, 0.1, 0.4),
                           (0.08, 0.15, 0.18, 0.38, 0.17, 0.04), 0.15, 4_000, (1_000, 60_000)),
}  # fmt: skip
_PRODUCT_SIZE = np.array([1.0, 0.7, 0.5, 0.4, 1.8])
_PRODUCT_WIN = np.array([1.0, 1.1, 1.15, 1.2, 0.85])
_SOURCE_WIN = np.array([0.95, 1.6, 1.3, 0.7, 1.05, 0.8])
_SOURCE_LEAD_LOGIT = np.array([0.0, 1.0, 0.7, -0.6, 0.25, -0.3])
_SOURCE_LEAD_SHARE = np.array([0.30, 0.10, 0.10, 0.18, 0.10, 0.22])
_INDUSTRY_LEAD_LOGIT = np.array([0.45, 0.1, -0.1, -0.35, 0.25, -0.45])
_INDUSTRY_REVENUE_PER_EMPLOYEE = np.array([250e3, 180e3, 220e3, 150e3, 400e3, 90e3])
_INDUSTRY_NOUNS: tuple[tuple[str, ...], ...] = (
    ("Software", "Systems", "Labs", "Cloud", "Data", "Technologies", "Digital"),
    ("Health", "Medical", "Care", "Clinics", "Biotech", "Pharma", "Diagnostics"),
    ("Manufacturing", "Industries", "Metalworks", "Fabrication", "Components", "Machining", "Plastics"),
    ("Retail", "Outfitters", "Market", "Goods", "Stores", "Brands", "Home"),
    ("Capital", "Financial", "Bank", "Insurance", "Advisors", "Credit Union", "Wealth"),
    ("Academy", "Learning", "University", "Schools", "Education", "College", "Institute"),
)
_STEMS = (
    "Acme", "Apex", "Beacon", "Blue Ridge", "Bright", "Cedar", "Clearwater", "Cobalt", "Copper", "Crescent",
    "Crestline", "Delta", "Evergreen", "Falcon", "Fairview", "Frontier", "Golden Gate", "Granite", "Harbor",
    "Highland", "Horizon", "Ironwood", "Juniper", "Keystone", "Lakeside", "Liberty", "Lighthouse", "Maple",
    "Meridian", "Metro", "Northwind", "Northstar", "Oakridge", "Orion", "Pacific", "Paramount", "Pinnacle",
    "Pioneer", "Prairie", "Quantum", "Redwood", "Riverbend", "Rockport", "Sierra", "Silverline", "Summit",
    "Sunrise", "Tidewater", "Trident", "Union", "Vanguard", "Vertex", "Westfield", "Willow", "Zenith", "Atlas",
    "Bluebird", "Canyon", "Emerald", "Stonebridge",
)  # fmt: skip
_FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William",
    "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Daniel", "Lisa",
    "Matthew", "Nancy", "Anthony", "Sandra", "Mark", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew",
    "Donna", "Kevin", "Michelle", "Brian", "Carol", "George", "Amanda", "Aisha", "Wei", "Carlos", "Fatima", "Hiro",
    "Ingrid", "Jamal", "Lena", "Mateo", "Nadia", "Omar", "Rosa", "Sven", "Yuki", "Zara", "Kofi", "Anika", "Diego",
    "Elena", "Ravi",
)  # fmt: skip
_LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Lee", "Perez", "Thompson",
    "White", "Harris", "Sanchez", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera",
    "Campbell", "Mitchell", "Carter", "Roberts", "Kim", "Patel", "Singh", "Chen", "Wang", "Murphy", "Cook",
    "Rogers", "Morgan", "Cooper", "Peterson", "Müller", "Dubois",
)  # fmt: skip
_COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "East": (("United States", "Canada"), (0.85, 0.15)),
    "West": (("United States", "Canada"), (0.9, 0.1)),
    "Central": (("United States",), (1.0,)),
    "EMEA": (("United Kingdom", "Germany", "France", "Netherlands"), (0.4, 0.3, 0.15, 0.15)),
}
_LEGAL_SUFFIX = {
    "United States": ("Inc", "LLC", "Corp", ""),
    "Canada": ("Inc", "Ltd", ""),
    "United Kingdom": ("Ltd", "plc", ""),
    "Germany": ("GmbH", "AG"),
    "France": ("SA", "SAS"),
    "Netherlands": ("BV", ""),
}
# name, team, region, hire date, date they left ("" = still here); the first of each team leads it.
_REPS = (
    ("Olivia Bennett", "SMB East", "East", "2019-03-11", ""),
    ("Marcus Hale", "SMB East", "East", "2020-06-01", ""),
    ("Priya Raman", "SMB East", "East", "2021-09-13", ""),
    ("Jonah Fischer", "SMB East", "Central", "2022-11-07", ""),
    ("Samuel Okafor", "SMB East", "East", "2022-05-02", "2025-05-30"),
    ("Chloe Martin", "SMB East", "Central", "2024-04-15", ""),
    ("Ava Lindqvist", "SMB East", "East", "2026-06-15", ""),
    ("Daniel Cruz", "SMB West", "West", "2019-08-05", ""),
    ("Emily Tran", "SMB West", "West", "2021-01-11", ""),
    ("Ryan Kowalski", "SMB West", "West", "2022-03-14", ""),
    ("Sofia Alvarez", "SMB West", "EMEA", "2023-05-08", ""),
    ("Noah Whitaker", "SMB West", "West", "2024-11-04", ""),
    ("Grace Liu", "SMB West", "EMEA", "2025-01-13", ""),
    ("Ethan Brooks", "SMB West", "West", "2026-08-03", ""),
    ("Hannah Schultz", "Mid-Market", "East", "2018-10-01", ""),
    ("Lucas Moreau", "Mid-Market", "EMEA", "2020-02-03", ""),
    ("Isabel Romero", "Mid-Market", "Central", "2021-06-21", ""),
    ("Benjamin Carter", "Mid-Market", "West", "2024-02-05", ""),
    ("Mia Johansson", "Mid-Market", "EMEA", "2023-09-18", "2026-08-14"),
    ("Arjun Mehta", "Mid-Market", "Central", "2026-05-04", ""),
    ("Victoria Hughes", "Enterprise", "East", "2017-05-15", ""),
    ("Thomas Becker", "Enterprise", "EMEA", "2019-11-04", ""),
    ("Natalie Park", "Enterprise", "West", "2021-04-12", ""),
    ("William Grant", "Enterprise", "Central", "2024-05-06", ""),
)
_SUCCESSOR = {"Samuel Okafor": "Chloe Martin", "Mia Johansson": "Lucas Moreau"}
_VP_SALES = "Morgan Ellis"  # manager of the team leads; not a quota-carrying rep, so not in the export
_SMB_COVERAGE = {"SMB East": ("East", "Central"), "SMB West": ("West", "EMEA")}
_COMPANY_DOMAIN = "brightlane.example"

_CREATE_SEASON = np.array([0.95, 1.0, 1.1, 1.0, 1.0, 0.85, 0.72, 0.78, 1.1, 1.2, 1.2, 0.95])  # Jan..Dec
_WIN_SEASON = np.array([1.0, 1.0, 1.08, 1.0, 1.0, 1.05, 0.88, 0.88, 1.05, 1.05, 1.15, 1.35])  # by close month
_ANNUAL_GROWTH = 1.12  # per-rep productivity; headcount growth adds the rest
_RAMP_MONTHS = 6
_WARM_UP_MONTHS = 6  # deals opened before the history starts, so its first months close a full book
_STALE_DEALS = 25
_OPEN_DEALS_WITHOUT_AMOUNT = 6
_LEADS = 10_000
_LEADS_WITHOUT_EMAIL = 12
# Per deal activity mix (email, call, meeting, demo, task) and how rep skill tilts it: top reps meet and demo more.
_ACTIVITY_MIX = np.array([0.36, 0.22, 0.14, 0.10, 0.18])
_ACTIVITY_SKILL_TILT = np.array([-0.15, 0.0, 0.45, 0.5, -0.25])


def _day(value: str | date) -> int:
    """Days since 1970-01-01, the integer form all date arithmetic here uses."""
    return int(np.datetime64(value, "D").astype(np.int64))


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.asarray(days, dtype=np.int64).astype("datetime64[D]"), unit="D")


def _month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of each day."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday)."""
    return (np.asarray(days) + 3) % 7


def _to_weekday(days: np.ndarray) -> np.ndarray:
    """Move weekend days back to the Friday before: CRM records are mostly made on working days."""
    wd = _weekday(days)
    return days - np.where(wd == 5, 1, 0) - np.where(wd == 6, 2, 0)


def _pick(rng: np.random.Generator, options: tuple[str, ...] | np.ndarray, p: np.ndarray, size: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=np.asarray(p) / np.sum(p))]


def _reps_frame() -> pd.DataFrame:
    """The rep roster as plain columns (quota is filled in once deals exist)."""
    names = [r[0] for r in _REPS]
    leads = {team: next(r[0] for r in _REPS if r[1] == team) for team in TEAMS}
    hire = [r[3] for r in _REPS]
    roles = [
        "Team Lead"
        if leads[r[1]] == r[0]
        else "Senior Account Executive"
        if r[3] < "2022-01-01"
        else "Account Executive"
        for r in _REPS
    ]
    return pd.DataFrame(
        {
            "Rep ID": [f"R-{i + 101}" for i in range(len(_REPS))],
            "Name": names,
            "Email": [n.lower().replace(" ", ".") + "@" + _COMPANY_DOMAIN for n in names],
            "Team": [r[1] for r in _REPS],
            "Region": [r[2] for r in _REPS],
            "Role": roles,
            "Manager": [_VP_SALES if leads[r[1]] == r[0] else leads[r[1]] for r in _REPS],
            "Hire Date": hire,
            "Annual Quota": 0,
            "Active": [r[4] == "" for r in _REPS],
        }
    )


def _countries(rng: np.random.Generator, regions: np.ndarray) -> np.ndarray:
    out = np.empty(len(regions), dtype=object)
    for region, (names, p) in _COUNTRIES.items():
        mask = regions == region
        out[mask] = _pick(rng, names, np.array(p), int(mask.sum()))
    return out


def _suffixes(rng: np.random.Generator, countries: np.ndarray) -> np.ndarray:
    out = np.empty(len(countries), dtype=object)
    for country, options in _LEGAL_SUFFIX.items():
        mask = countries == country
        out[mask] = _pick(rng, options, np.ones(len(options)), int(mask.sum()))
    return out


def _company_bases(rng: np.random.Generator, industry: np.ndarray, *, unique: bool) -> np.ndarray:
    """ "Stem Noun" company names fitting each industry; unique within the batch when asked."""
    out = np.empty(len(industry), dtype=object)
    for i, nouns in enumerate(_INDUSTRY_NOUNS):
        mask = industry == i
        n = int(mask.sum())
        combos = np.array([f"{s} {noun}" for s in _STEMS for noun in nouns], dtype=object)
        out[mask] = combos[rng.choice(len(combos), size=n, replace=not unique)]
    return out


def _accounts(rng: np.random.Generator, n: int = 1_500) -> pd.DataFrame:
    """Accounts with a segment (by employee count), region, industry, revenue and a deal-attracting weight."""
    segments = np.array(list(_SEGMENTS), dtype=object)
    seg = _pick(rng, segments, np.array([s.account_share for s in _SEGMENTS.values()]), n)
    region = _pick(rng, REGIONS, np.array([0.3, 0.3, 0.2, 0.2]), n)
    country = _countries(rng, region)
    industry = rng.choice(len(INDUSTRIES), size=n, p=[0.24, 0.16, 0.17, 0.15, 0.16, 0.12])
    employees = np.zeros(n, dtype=np.int64)
    for name, s in _SEGMENTS.items():
        mask = seg == name
        raw = s.employees_median * np.exp(0.7 * rng.standard_normal(int(mask.sum())))
        employees[mask] = np.clip(np.round(raw), *s.employees_range).astype(np.int64)
    revenue = employees * _INDUSTRY_REVENUE_PER_EMPLOYEE[industry] * np.exp(0.35 * rng.standard_normal(n))
    revenue = np.round(revenue, -3).astype(np.int64)
    tier = np.where(revenue >= 250e6, "Tier 1", np.where(revenue >= 25e6, "Tier 2", "Tier 3"))
    suffix = _suffixes(rng, country)
    base = _company_bases(rng, industry, unique=True)
    company = np.where(suffix == "", base, base + " " + suffix)
    return pd.DataFrame(
        {
            "name": company,
            "segment": seg,
            "region": region,
            "country": country,
            "industry": np.asarray(INDUSTRIES, dtype=object)[industry],
            "employees": employees,
            "revenue": revenue,
            "tier": tier,
            "weight": rng.gamma(0.7, size=n),
        }
    )


@dataclass(frozen=True)
class _Roster:
    """Per-rep arrays the deal and lead generators index by rep number."""

    names: np.ndarray
    team: np.ndarray
    segment: np.ndarray
    region: np.ndarray
    hire: np.ndarray  # day numbers
    left: np.ndarray  # day number they left, or a far-future day
    skill: np.ndarray  # -1 (weakest) .. 1 (strongest), spread evenly within each team

    def coverage(self, i: int) -> tuple[str, ...]:
        return _SMB_COVERAGE.get(str(self.team[i]), (str(self.region[i]),))


def _roster(rng: np.random.Generator) -> _Roster:
    team = np.array([r[1] for r in _REPS], dtype=object)
    skill = np.zeros(len(_REPS))
    for t in TEAMS:
        idx = np.flatnonzero(team == t)
        skill[idx] = rng.permutation(np.linspace(-1.0, 1.0, len(idx)))
    far = _day("2100-01-01")
    return _Roster(
        names=np.array([r[0] for r in _REPS], dtype=object),
        team=team,
        segment=np.array([TEAMS[t] for t in team], dtype=object),
        region=np.array([r[2] for r in _REPS], dtype=object),
        hire=np.array([_day(r[3]) for r in _REPS]),
        left=np.array([_day(r[4]) if r[4] else far for r in _REPS]),
        skill=skill,
    )


def _deals(rng: np.random.Generator, roster: _Roster, accounts: pd.DataFrame) -> pd.DataFrame:
    """Deals opened by each rep month by month, with outcome, size and timing drawn from the drivers above."""
    start, end, pipeline_end = _day(HISTORY_START), _day(HISTORY_END), _day(PIPELINE_END)
    months = np.arange(np.datetime64(HISTORY_START, "M") - _WARM_UP_MONTHS, np.datetime64(HISTORY_END, "M") + 1).astype(
        "datetime64[D]"
    )
    month_start = months.astype(np.int64)
    month_end = np.append(month_start[1:], _day("2026-11-01"))
    calendar_month = months.astype("datetime64[M]").astype(np.int64) % 12
    years_in = (np.arange(len(months)) - _WARM_UP_MONTHS) / 12.0

    # Opening rate per rep and month: segment base x skill x ramp x share of the month employed x season x growth.
    lo = np.maximum(month_start[None, :], roster.hire[:, None])
    hi = np.minimum(month_end[None, :], roster.left[:, None])
    employed = np.clip((hi - lo) / (month_end - month_start)[None, :], 0, 1)
    tenure_months = (month_start[None, :] - roster.hire[:, None]) / 30.4
    ramp = np.clip((tenure_months + 1) / _RAMP_MONTHS, 0, 1)
    base = np.array([_SEGMENTS[s].deals_per_rep_month for s in roster.segment])
    rate = (
        base[:, None]
        * np.exp(0.2 * roster.skill)[:, None]
        * ramp
        * employed
        * _CREATE_SEASON[calendar_month][None, :]
        * (_ANNUAL_GROWTH**years_in)[None, :]
    )
    counts = np.floor(rate + rng.random(rate.shape)).astype(np.int64)  # steadier than Poisson: less monthly noise
    rep = np.repeat(np.repeat(np.arange(len(roster.names)), len(months)), counts.ravel())
    mon = np.repeat(np.tile(np.arange(len(months)), len(roster.names)), counts.ravel())
    lo_d, hi_d = lo[rep, mon], hi[rep, mon]
    created = np.maximum(_to_weekday(lo_d + np.floor(rng.random(len(rep)) * (hi_d - lo_d)).astype(np.int64)), lo_d)
    n = len(rep)
    seg_name = roster.segment[rep]
    skill = roster.skill[rep]
    ramp_at = ramp[rep, mon]

    seg_idx = np.array([list(_SEGMENTS).index(s) for s in seg_name])
    segs = list(_SEGMENTS.values())
    product = np.empty(n, dtype=np.int64)
    source = np.empty(n, dtype=np.int64)
    for k, s in enumerate(segs):
        mask = seg_idx == k
        product[mask] = rng.choice(len(PRODUCTS), size=int(mask.sum()), p=s.products)
        source[mask] = rng.choice(len(LEAD_SOURCES), size=int(mask.sum()), p=np.array(s.sources) / sum(s.sources))
    expansion = rng.random(n) < np.array([s.expansion_share for s in segs])[seg_idx]

    # Accounts: each rep sells into its segment and the regions it covers; a few accounts attract many deals.
    account = np.empty(n, dtype=np.int64)
    for i in range(len(roster.names)):
        mask = rep == i
        pool = np.flatnonzero(
            (accounts["segment"].to_numpy() == roster.segment[i])
            & np.isin(accounts["region"].to_numpy(), roster.coverage(i))
        )
        w = accounts["weight"].to_numpy()[pool]
        account[mask] = pool[rng.choice(len(pool), size=int(mask.sum()), p=w / w.sum())]

    # Cycle, then outcome (seasonal by the month it would close), then losses linger and wins bunch at quarter end.
    cycle = np.array([s.cycle_days for s in segs])[seg_idx] * np.exp(0.45 * rng.standard_normal(n) - 0.1 * skill)
    cycle = np.maximum(cycle, 3)
    tentative_month = _month_index(created + cycle.astype(np.int64)) % 12
    p_win = (
        np.array([s.win_rate for s in segs])[seg_idx]
        * _SOURCE_WIN[source]
        * _PRODUCT_WIN[product]
        * np.exp(0.25 * skill)
        * _WIN_SEASON[tentative_month]
        * (0.75 + 0.25 * ramp_at)
        * np.where(expansion, 1.35, 1.0)
    )
    won = _stratified_uniform(rng, np.lexsort((created, seg_idx))) < np.clip(p_win, 0.03, 0.85)
    cycle = np.where(won, cycle, cycle * 1.35)
    close = created + np.round(cycle).astype(np.int64)
    close = _quarter_end_push(rng, created, close, won)
    close = _to_weekday(close)
    close = np.maximum(close, created)

    size = np.array([s.deal_size for s in segs])[seg_idx]
    # Normalised so the segment's mean amount is deal_size whatever its product and deal-type mix.
    sigma = np.array([s.size_sigma for s in segs])[seg_idx]
    mix_mean = np.array([np.dot(s.products, _PRODUCT_SIZE) * (1 - 0.4 * s.expansion_share) for s in segs])[seg_idx]
    mix_mean = mix_mean * np.exp(sigma**2 / 2)
    q4 = np.isin(_month_index(close) % 12, (9, 10, 11))
    amount = (
        size
        * _PRODUCT_SIZE[product]
        / mix_mean
        * np.where(expansion, 0.6, 1.0)
        * np.where(q4, 1.08, 1.0)
        * np.exp(sigma * rng.standard_normal(n))
    )
    amount = np.maximum(np.round(amount, -1), 500)

    keep = close >= start
    frame: pd.DataFrame = (
        pd.DataFrame(
            {
                "rep": rep,
                "account": account,
                "created": created,
                "close": close,
                "won": won,
                "product": product,
                "source": source,
                "expansion": expansion,
                "amount": amount,
                "skill": skill,
            }
        )
        .loc[keep]
        .reset_index(drop=True)
    )

    # Stage: closed when the close date has passed; otherwise how far through its cycle the deal is.
    is_open = frame["close"].to_numpy() > end
    life = np.maximum(frame["close"].to_numpy() - frame["created"].to_numpy(), 1)
    progress = np.clip((end - frame["created"].to_numpy()) / life, 0, 0.999)
    stage_idx = np.minimum(np.floor(progress * 4).astype(np.int64) + (rng.random(len(frame)) < 0.2), 3)
    stage = np.where(
        is_open,
        np.asarray(OPEN_STAGES, dtype=object)[stage_idx],
        np.where(frame["won"], "Closed Won", "Closed Lost"),
    )
    late = is_open & (frame["close"].to_numpy() > pipeline_end)
    close_out = frame["close"].to_numpy().copy()
    close_out[late] = _to_weekday(pipeline_end - rng.integers(0, 45, int(late.sum())))

    # Stale deals: lost in reality, never updated, their close date already behind the export date.
    lost_recently = np.flatnonzero(
        (stage == "Closed Lost") & (close_out >= _day("2026-05-01")) & (close_out <= end - 10)
    )
    weights = np.where(np.isin(frame["rep"].to_numpy()[lost_recently], np.flatnonzero(roster.segment != "SMB")), 3, 1)
    stale = rng.choice(lost_recently, size=_STALE_DEALS, replace=False, p=weights / weights.sum())
    stage[stale] = _pick(rng, OPEN_STAGES[1:], np.array([0.3, 0.4, 0.3]), _STALE_DEALS)
    frame["stage"] = stage
    frame["close"] = close_out
    frame["stale"] = False
    frame.loc[stale, "stale"] = True
    frame["owner"] = roster.names[frame["rep"].to_numpy()]
    # Deals still running when their rep left went to the successor.
    left = roster.left[frame["rep"].to_numpy()]
    handed_over = (np.isin(stage, OPEN_STAGES) | (frame["close"].to_numpy() >= left)) & (left < _day("2100-01-01"))
    frame.loc[handed_over, "owner"] = frame.loc[handed_over, "owner"].map(_SUCCESSOR)
    return frame.sort_values(["created", "rep", "amount"], kind="stable").reset_index(drop=True)


def _stratified_uniform(rng: np.random.Generator, order: np.ndarray, block: int = 10) -> np.ndarray:
    """Uniform draws where every run of ``block`` items in ``order`` covers each tenth of [0, 1) once.

    Outcomes drawn this way keep their probabilities but win counts per month stop swinging by chance alone, so
    the few dozen enterprise wins a year still show the trend and seasonality instead of luck.
    """
    n = len(order)
    strata = np.concatenate([rng.permutation(block) for _ in range(-(-n // block))])[:n]
    u = np.empty(n)
    u[order] = (strata + rng.random(n)) / block
    return u


def _quarter_end_push(rng: np.random.Generator, created: np.ndarray, close: np.ndarray, won: np.ndarray) -> np.ndarray:
    """Won deals bunch into the last week of a quarter: some are pulled in from early next quarter, some pushed."""
    month = _month_index(close)
    quarter_start_month = month - month % 3
    q_start = quarter_start_month.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    q_end = (quarter_start_month + 3).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - 1
    u = rng.random(len(close))
    pushed = won & (q_end - close < 25) & (q_end - close > 5) & (u < 0.45)
    close = np.where(pushed, q_end - rng.integers(0, 6, len(close)), close)
    early = close - q_start < 12
    pulled_to = q_start - 1 - rng.integers(0, 4, len(close))
    pulled = won & early & (u > 0.7) & (pulled_to > created + 2)
    return np.where(pulled, pulled_to, close)


def _deal_frame(deals: pd.DataFrame, accounts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The deals as a CRM export writes them, plus the three deliberately broken rows at the end."""
    account = accounts.iloc[deals["account"].to_numpy()]
    product = np.asarray(PRODUCTS, dtype=object)[deals["product"].to_numpy()]
    stage = deals["stage"].to_numpy()
    amount = pd.array(deals["amount"].round().to_numpy(dtype=np.int64), dtype="Int64")
    prospecting = np.flatnonzero(np.isin(stage, OPEN_STAGES[:2]) & ~deals["stale"].to_numpy())
    amount[rng.choice(prospecting, size=_OPEN_DEALS_WITHOUT_AMOUNT, replace=False)] = pd.NA
    frame = pd.DataFrame(
        {
            "Deal ID": [f"D-{i + 10001}" for i in range(len(deals))],
            "Deal Name": account["name"].to_numpy() + " - " + product,
            "Account": account["name"].to_numpy(),
            "Owner": deals["owner"].to_numpy(),
            "Stage": stage,
            "Amount": amount,
            "Currency": "USD",
            "Created Date": _iso(deals["created"].to_numpy()),
            "Close Date": _iso(deals["close"].to_numpy()),
            "Probability (%)": [STAGE_PROBABILITY[s] for s in stage],
            "Lead Source": np.asarray(LEAD_SOURCES, dtype=object)[deals["source"].to_numpy()],
            "Product": product,
            "Segment": account["segment"].to_numpy(),
            "Region": account["region"].to_numpy(),
            "Deal Type": np.where(deals["expansion"], "Expansion", "New Business"),
            "Forecast Category": [FORECAST_CATEGORY[s] for s in stage],
        },
        columns=list(DEAL_COLUMNS),
    )
    # Broken rows: copies of real won deals, each with one error (close before created, negative amount, bad date).
    broken = frame[frame["Stage"] == "Closed Won"].tail(BROKEN_DEAL_ROWS).copy()
    broken["Deal ID"] = [f"D-{len(frame) + 10001 + i}" for i in range(BROKEN_DEAL_ROWS)]
    created = broken["Created Date"].to_numpy()
    broken["Close Date"] = [str(np.datetime64(created[0]) - 9), broken["Close Date"].iloc[1], "not a date"]
    broken["Amount"] = pd.array([broken["Amount"].iloc[0], -4_500, broken["Amount"].iloc[2]], dtype="Int64")
    return pd.concat([frame, broken], ignore_index=True)


def _account_frame(accounts: pd.DataFrame, deals: pd.DataFrame, roster: _Roster) -> pd.DataFrame:
    """Accounts owned by the rep with most deals on them, plus three duplicate-looking variants of real names."""
    owner_counts = deals.groupby(["account", "owner"]).size().reset_index(name="n")
    top = owner_counts.sort_values(["account", "n", "owner"], ascending=[True, False, True]).drop_duplicates("account")
    owner = pd.Series(top["owner"].to_numpy(), index=top["account"].to_numpy()).reindex(range(len(accounts)))
    active = roster.left > _day(HISTORY_END)
    for i in np.flatnonzero(owner.isna().to_numpy()).tolist():
        candidates = [
            k
            for k in range(len(roster.names))
            if active[k] and roster.segment[k] == accounts["segment"].iat[i]
            and str(accounts["region"].iat[i]) in roster.coverage(k)
        ]  # fmt: skip
        owner.iat[i] = roster.names[candidates[i % len(candidates)]]
    frame = pd.DataFrame(
        {
            "Account ID": [f"ACC-{i + 1001}" for i in range(len(accounts))],
            "Account Name": accounts["name"].to_numpy(),
            "Industry": accounts["industry"].to_numpy(),
            "Employees": accounts["employees"].to_numpy(),
            "Annual Revenue": accounts["revenue"].to_numpy(),
            "Region": accounts["region"].to_numpy(),
            "Country": accounts["country"].to_numpy(),
            "Tier": accounts["tier"].to_numpy(),
            "Owner": owner.to_numpy(),
        }
    )
    # Duplicates a quality report should flag: same company typed again in another case or with another suffix.
    with_inc = frame.index[frame["Account Name"].str.endswith(" Inc")]
    picks = [with_inc[3], with_inc[40], with_inc[90]]
    dupes = frame.loc[picks].copy()
    names = dupes["Account Name"].tolist()
    dupes["Account Name"] = [names[0].upper(), names[1].removesuffix(" Inc"), names[2].removesuffix(" Inc") + ", Inc."]
    dupes["Account ID"] = [f"ACC-{len(frame) + 1001 + i}" for i in range(len(dupes))]
    return pd.concat([frame, dupes], ignore_index=True)


def _activity_frame(
    rng: np.random.Generator, deals: pd.DataFrame, accounts: pd.DataFrame, roster: _Roster, leads: pd.DataFrame
) -> pd.DataFrame:
    """Activities logged on deals (within each deal's life, mix tilted by rep skill) and prospecting on leads."""
    end = _day(HISTORY_END)
    n = len(deals)
    stage = deals["stage"].to_numpy()
    won = stage == "Closed Won"
    is_open = np.isin(stage, OPEN_STAGES)
    created = deals["created"].to_numpy()
    stop = np.minimum(deals["close"].to_numpy(), end)
    elapsed = np.clip((stop - created) / np.maximum(deals["close"].to_numpy() - created, 1), 0.05, 1)
    per_deal = np.array([_SEGMENTS[s].activities_per_deal for s in accounts["segment"].to_numpy()[deals["account"]]])
    volume = per_deal * np.where(won, 1.0, 0.7) * np.where(is_open, elapsed, 1.0)
    lam = (
        volume[:, None]
        * _ACTIVITY_MIX[None, :]
        * np.exp(_ACTIVITY_SKILL_TILT[None, :] * deals["skill"].to_numpy()[:, None])
    )
    lam[~won, 3] *= 0.7  # lost deals die before the demo more often
    counts = rng.poisson(lam)
    had_proposal = won | (stage == "Proposal") | (stage == "Negotiation") | (~is_open & (rng.random(n) < 0.45))
    counts = np.column_stack([counts[:, :4], had_proposal.astype(np.int64), counts[:, 4:]])
    deal = np.repeat(np.repeat(np.arange(n), 6), counts.ravel())
    kind = np.repeat(np.tile(np.arange(6), n), counts.ravel())
    # Where in the deal's life each type happens: demos early-middle, proposals late, the rest anywhere.
    lo_frac = np.array([0.0, 0.0, 0.05, 0.1, 0.55, 0.0])[kind]
    hi_frac = np.array([1.0, 1.0, 0.9, 0.65, 0.95, 1.0])[kind]
    frac = lo_frac + rng.random(len(deal)) * (hi_frac - lo_frac)
    day = created[deal] + np.floor(frac * (stop[deal] - created[deal])).astype(np.int64)
    day = np.clip(_to_weekday(day), created[deal], stop[deal])
    # Who did it: the original rep while employed, the successor after.
    orig = roster.names[deals["rep"].to_numpy()[deal]]
    owner = np.where(day >= roster.left[deals["rep"].to_numpy()[deal]], deals["owner"].to_numpy()[deal], orig)
    deal_part = pd.DataFrame(
        {
            "kind": kind,
            "owner": owner,
            "deal": deals["id"].to_numpy()[deal],
            "lead": "",
            "account": accounts["name"].to_numpy()[deals["account"].to_numpy()[deal]],
            "day": day,
        }
    )

    # Prospecting touches on leads: emails and calls by the lead owner before conversion or disqualification.
    lead_n = rng.poisson(0.6 + 0.15 * np.minimum(leads["Email Opens"].to_numpy(), 10))
    li = np.repeat(np.arange(len(leads)), lead_n)
    l_created = leads["created"].to_numpy()[li]
    l_stop = np.minimum(np.minimum(l_created + 45, leads["converted_day"].to_numpy()[li]), end)
    l_day = np.clip(_to_weekday(l_created + np.floor(rng.random(len(li)) * (l_stop - l_created + 1)).astype(np.int64)),
                    l_created, l_stop)  # fmt: skip
    lead_part = pd.DataFrame(
        {
            "kind": rng.choice([0, 1, 2], size=len(li), p=[0.6, 0.35, 0.05]),
            "owner": leads["Owner"].to_numpy()[li],
            "deal": "",
            "lead": leads["Lead ID"].to_numpy()[li],
            "account": "",
            "day": l_day,
        }
    )
    acts = pd.concat([deal_part, lead_part], ignore_index=True)
    m = len(acts)
    kind = acts["kind"].to_numpy()
    minute = rng.integers(8 * 60, 18 * 60, m)
    minute = np.where(np.isin(kind, (2, 3)), minute - minute % 30, minute)  # meetings start on the half hour
    acts["ts"] = acts["day"].to_numpy() * 1440 + minute
    acts = acts.sort_values(["ts", "owner", "deal", "lead"], kind="stable").reset_index(drop=True)
    kind = acts["kind"].to_numpy()
    duration = np.select(
        [kind == 0, kind == 1, kind == 2, kind == 3, kind == 4],
        [
            rng.integers(3, 8, m),
            np.clip(np.round(np.exp(2.3 + 0.6 * rng.standard_normal(m))), 1, 60),
            rng.choice([30, 45, 60], m, p=[0.5, 0.2, 0.3]),
            rng.choice([45, 60, 90], m, p=[0.3, 0.5, 0.2]),
            rng.choice([60, 90, 120], m, p=[0.4, 0.4, 0.2]),
        ],
        rng.choice([10, 15, 30], m, p=[0.4, 0.4, 0.2]),
    ).astype(np.int64)
    outcomes = (
        (("Sent", "Replied", "Bounced"), (0.7, 0.27, 0.03)),
        (("Connected", "Left voicemail", "No answer"), (0.45, 0.35, 0.2)),
        (("Completed", "Rescheduled", "No show"), (0.85, 0.1, 0.05)),
        (("Completed", "Rescheduled", "No show"), (0.88, 0.09, 0.03)),
        (("Sent",), (1.0,)),
        (("Completed",), (1.0,)),
    )
    subjects = (
        ("Intro email", "Follow-up", "Pricing question", "Next steps", "Recap"),
        ("Discovery call", "Check-in call", "Follow-up call"),
        ("Kickoff meeting", "Requirements review", "Stakeholder meeting"),
        ("Product demo", "Technical demo"),
        ("Proposal sent",),
        ("Update CRM", "Prepare quote", "Send contract"),
    )
    outcome = np.empty(m, dtype=object)
    subject = np.empty(m, dtype=object)
    for k in range(6):
        mask = kind == k
        outcome[mask] = _pick(rng, outcomes[k][0], np.array(outcomes[k][1]), int(mask.sum()))
        subject[mask] = _pick(rng, subjects[k], np.ones(len(subjects[k])), int(mask.sum()))
    stamp = np.datetime_as_string(acts["ts"].to_numpy().astype("datetime64[m]"), unit="m")
    return pd.DataFrame(
        {
            "Activity ID": [f"A-{i + 100001}" for i in range(m)],
            "Type": np.asarray(ACTIVITY_TYPES, dtype=object)[kind],
            "Subject": subject,
            "Owner": acts["owner"].to_numpy(),
            "Deal ID": acts["deal"].to_numpy(),
            "Lead ID": acts["lead"].to_numpy(),
            "Account": acts["account"].to_numpy(),
            "Date": np.char.replace(stamp.astype(str), "T", " "),
            "Duration (min)": duration,
            "Outcome": outcome,
        }
    )


def _leads(rng: np.random.Generator, roster: _Roster) -> pd.DataFrame:
    """Leads whose conversion depends on source, industry, size and (through a hidden intent) engagement."""
    start, end = _day(HISTORY_START), _day(HISTORY_END)
    months = np.arange(np.datetime64(HISTORY_START, "M"), np.datetime64(HISTORY_END, "M") + 1)
    weight = _CREATE_SEASON[months.astype(np.int64) % 12] * 1.2 ** (np.arange(len(months)) / 12)
    month = rng.choice(len(months), size=_LEADS, p=weight / weight.sum())
    m_start = months.astype("datetime64[D]").astype(np.int64)
    m_len = np.append(m_start[1:], end + 1) - m_start
    created = np.sort(_to_weekday(m_start[month] + np.floor(rng.random(_LEADS) * m_len[month]).astype(np.int64)))
    created = np.clip(created, start, end)
    n = _LEADS
    source = rng.choice(len(LEAD_SOURCES), size=n, p=_SOURCE_LEAD_SHARE)
    industry = rng.choice(len(INDUSTRIES), size=n, p=[0.24, 0.16, 0.17, 0.15, 0.16, 0.12])
    employees = np.clip(np.round(110 * np.exp(1.3 * rng.standard_normal(n))), 1, 80_000).astype(np.int64)
    intent = rng.standard_normal(n)
    web = rng.poisson(np.exp(0.9 + 0.6 * intent + np.where(np.isin(source, (0, 5)), 0.4, 0.0)))
    opens = rng.poisson(np.exp(1.1 + 0.5 * intent))
    logit = (
        -1.75
        + _SOURCE_LEAD_LOGIT[source]
        + _INDUSTRY_LEAD_LOGIT[industry]
        + 0.3 * (np.log10(employees) - 2)
        + 1.1 * intent
    )
    will_convert = rng.random(n) < 1 / (1 + np.exp(-logit))
    converted_day = _to_weekday(created + 5 + np.floor(rng.exponential(22, n)).astype(np.int64))
    converted = will_convert & (converted_day <= end)
    age = end - created
    status = np.where(
        converted,
        "Converted",
        np.where(
            age < 14,
            "New",
            np.where(age < 60, np.where(rng.random(n) < 0.7, "Working", "Nurturing"),
                     np.where(rng.random(n) < 0.75, "Unqualified", "Nurturing")),
        ),
    )  # fmt: skip
    region = _pick(rng, REGIONS, np.array([0.3, 0.3, 0.2, 0.2]), n)
    country = _countries(rng, region)
    # Owner: a random SMB or Mid-Market rep covering the lead's region and employed on the day it came in.
    eligible = np.zeros((n, len(roster.names)), dtype=bool)
    for k in range(len(roster.names)):
        if roster.segment[k] != "Enterprise":
            eligible[:, k] = (
                np.isin(region, roster.coverage(k)) & (created >= roster.hire[k]) & (created < roster.left[k])
            )
    owner = roster.names[np.argmax(rng.random(eligible.shape) * eligible, axis=1)]
    first = _pick(rng, _FIRST_NAMES, np.ones(len(_FIRST_NAMES)), n)
    last = _pick(rng, _LAST_NAMES, np.ones(len(_LAST_NAMES)), n)
    company = _company_bases(rng, industry, unique=False)
    domain = pd.Series(company).str.lower().str.replace(r"[^a-z]", "", regex=True) + ".example"
    local = (pd.Series(first) + "." + pd.Series(last)).str.lower().str.replace("ü", "u")
    email = (local + "@" + domain).to_numpy(dtype=object)
    email[rng.choice(n, size=_LEADS_WITHOUT_EMAIL, replace=False)] = ""
    return pd.DataFrame(
        {
            "Lead ID": [f"L-{i + 20001}" for i in range(n)],
            "Name": first + " " + last,
            "Company": company,
            "Email": email,
            "Lead Source": np.asarray(LEAD_SOURCES, dtype=object)[source],
            "Status": status,
            "Industry": np.asarray(INDUSTRIES, dtype=object)[industry],
            "Employees": employees,
            "Region": region,
            "Country": country,
            "Created Date": _iso(created),
            "Converted": converted,
            "Converted Date": np.where(converted, _iso(converted_day), ""),
            "Owner": owner,
            "Web Visits": web,
            "Email Opens": opens,
            "created": created,
            "converted_day": np.where(converted, converted_day, end + 1),
        }
    )


def _quotas(reps: pd.DataFrame, deals: pd.DataFrame, roster: _Roster) -> np.ndarray:
    """Annual quota per team: ~110 % of a ramped rep's median bookings over the last year, rounded to 25k."""
    end = _day(HISTORY_END)
    year = deals[(deals["stage"] == "Closed Won") & (deals["close"] > end - 365)]
    revenue = year.groupby("owner")["amount"].sum()
    ramped = (roster.hire <= end - 365 - _RAMP_MONTHS * 30) & (roster.left > end)
    quota = {}
    for team in TEAMS:
        names = roster.names[(roster.team == team) & ramped]
        quota[team] = round(float(np.median(revenue.reindex(names).fillna(0))) * 1.1 / 25_000) * 25_000
    return reps["Team"].map(quota).to_numpy()


def generate(seed: int = 7) -> dict[str, pd.DataFrame]:
    """The five sample exports ("deals", "activities", "leads", "accounts", "reps") as CSV-ready frames.

    Dates are ISO text as an export writes them; the same seed always gives the same frames.
    """
    rng = np.random.default_rng(seed)
    roster = _roster(rng)
    accounts = _accounts(rng)
    deals = _deals(rng, roster, accounts)
    deal_frame = _deal_frame(deals, accounts, rng)
    leads = _leads(rng, roster)
    deals["id"] = deal_frame["Deal ID"].to_numpy()[: len(deals)]
    activities = _activity_frame(rng, deals, accounts, roster, leads)
    reps = _reps_frame()
    reps["Annual Quota"] = _quotas(reps, deals, roster)
    return {
        "deals": deal_frame,
        "activities": activities,
        "leads": leads.drop(columns=["created", "converted_day"]),
        "accounts": _account_frame(accounts, deals, roster),
        "reps": reps,
    }
