"""The customers: who they are, how they pay, and the Customers table.

A :class:`Book` holds the per-customer facts every other table is drawn from (currency, behaviour,
financial strength, terms, trading window, default). The cast (:mod:`.cast`) takes the first ids
as written; the rest are drawn at random (good 55 %, average 30 %, slow 15 %, plus
:attr:`.size.DemoSize.defaulted_share` defaulters), mostly Chinese companies with valid USCCs, about
5 % foreign ones in EUR/USD/SGD/JPY, named from :mod:`.names`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from credit_register.core import schema
from credit_register.tools.demo.arrays import (
    Array,
    blank_where,
    concat,
    days_of,
    schema_table,
    weekday_before,
    zero_padded,
)
from credit_register.tools.demo.cast import (
    CAST,
    DEFAULTED,
    HOLD_CUSTOMER,
    NEW_CUSTOMER,
    OWN_CONTRACT_TERMS_CUSTOMER,
    SLOW,
)
from credit_register.tools.demo.names import (
    ACCOUNT_MANAGERS,
    COUNTRY,
    FOREIGN,
    GIVEN_NAMES,
    INDUSTRIES,
    INDUSTRY,
    INSURERS,
    MAILBOXES,
    OUR_DOMAIN,
    REGION,
    REGIONS,
    ROADS,
    SUFFIXES,
    SURNAMES,
    TRADE_NAMES,
    usccs,
)
from credit_register.tools.demo.size import DemoSize


@dataclass
class Book:
    """Per-customer facts shared by every table (arrays indexed by customer)."""

    ids: Array
    foreign: Array
    country: Array
    currency: Array
    rate: Array
    decimals: Array
    behaviour: Array
    strength: Array
    terms: Array
    sales_cny: Array
    since: Array
    trade_start: Array
    trade_end: Array
    stop: Array
    default_date: Array
    status: Array
    key_account: Array
    ownership: Array
    manager: Array
    statement_years: Array
    cast: Array


def draw_book(
    rng: np.random.Generator,
    size: DemoSize,
    as_of: np.datetime64,
) -> tuple[Book, dict[str, Array]]:
    """The per-customer facts and the Customers sheet's text columns (names, addresses, people)."""
    n = size.customers
    n_cast = len(CAST)
    cast = np.arange(n) < n_cast
    width = max(5, len(str(n)))
    ids = concat("C", zero_padded(np.arange(1, n + 1), width))

    n_regions, n_trades, n_industries = len(REGIONS), len(TRADE_NAMES), len(INDUSTRIES)
    combos = n_regions * n_trades * n_industries
    combo = rng.choice(combos, size=n, replace=n > combos)
    region = combo // (n_trades * n_industries)
    trade = combo // n_industries % n_trades
    industry = combo % n_industries

    foreign = rng.random(n) < 0.05
    country_ix = rng.integers(0, len(FOREIGN), n)
    behaviour = rng.choice(
        4, size=n, p=[0.55, 0.30, 0.15 - size.defaulted_share, size.defaulted_share]
    )
    low = np.array([0.55, 0.40, 0.18, 0.0])[behaviour]
    high = np.array([0.95, 0.75, 0.50, 0.15])[behaviour]
    strength = low + (high - low) * rng.random(n)
    ownership = rng.choice(
        np.array(["soe", "private", "listed", "foreign", "other"], dtype=object),
        size=n,
        p=[0.18, 0.55, 0.12, 0.08, 0.07],
    )
    terms = rng.choice(np.array([30, 45, 60, 90]), size=n, p=[0.3, 0.3, 0.3, 0.1])
    terms = np.where(foreign, rng.choice(np.array([60, 90]), size=n), terms)
    sales_cny = np.clip(np.round(rng.lognormal(np.log(300_000), 0.8, n), -3), 30_000, 6_000_000)
    since_days = np.where(
        rng.random(n) < 0.03, rng.integers(90, 500, n), rng.integers(730, 5000, n)
    )
    statement_years = np.where(rng.random(n) < 0.04, 1, 3)
    status = np.full(n, "active", dtype=object)
    status[(behaviour == SLOW) & (rng.random(n) < 0.05)] = "hold"
    key_account = sales_cny >= np.quantile(sales_cny, 0.85)
    manager = rng.integers(0, len(ACCOUNT_MANAGERS), n)
    group = np.full(n, None, dtype=object)
    notes = np.full(n, None, dtype=object)

    # a few drawn groups for large registers: pairs sharing a trade name
    n_groups = (n - n_cast) // 100
    if n_groups:
        candidates = np.flatnonzero(~cast & ~foreign)
        members = rng.choice(candidates, size=(n_groups, 2), replace=False)
        trade[members[:, 1]] = trade[members[:, 0]]
        industry[members[:, 1]] = (industry[members[:, 0]] + 3) % n_industries
        trade_zh_all = np.array([t[0] for t in TRADE_NAMES], dtype=object)
        group_names = concat(trade_zh_all[trade[members[:, 0]]], "集团")
        group[members[:, 0]] = group_names
        group[members[:, 1]] = group_names

    stem_ix = rng.integers(0, 5, n)
    word_ix = rng.integers(0, 4, n)
    cast_names = np.full(n, None, dtype=object)
    for i, member in enumerate(CAST):  # the cast is a short, hand-written list
        cast_names[i] = member.name
        foreign[i] = member.place in COUNTRY
        if foreign[i]:
            country_ix[i] = COUNTRY[member.place]
        else:
            region[i] = REGION[member.place]
        industry[i] = INDUSTRY[member.industry]
        behaviour[i] = member.behaviour
        strength[i] = member.strength
        ownership[i] = member.ownership
        terms[i] = member.terms
        sales_cny[i] = member.monthly_sales_cny
        key_account[i] = member.key_account
        status[i] = member.status
        group[i] = member.group
        if member.since_days is not None:
            since_days[i] = member.since_days
        # the e-mail domain follows the cast's own name
        if foreign[i]:
            stem_ix[i] = next(
                k for k, st in enumerate(FOREIGN[country_ix[i]][3]) if member.name.startswith(st[0])
            )
            word_ix[i] = next(
                k for k, w in enumerate(FOREIGN[country_ix[i]][4]) if w in member.name
            )
        else:
            trade[i] = next(k for k, t in enumerate(TRADE_NAMES) if t[0] in member.name)
        statement_years[i] = member.statement_years
        notes[i] = member.notes
    ownership[foreign] = "foreign"
    status[behaviour == DEFAULTED] = "legal"
    defaulted = behaviour == DEFAULTED

    country_codes = np.array([f[0] for f in FOREIGN], dtype=object)
    currencies = np.array([f[1] for f in FOREIGN], dtype=object)
    country = np.where(foreign, country_codes[country_ix], "CN")
    currency = np.where(foreign, currencies[country_ix], "CNY")
    rate = np.where(foreign, np.array([f[2] for f in FOREIGN])[country_ix], 1.0)
    decimals = np.where(currency == "JPY", 0, 2)

    # a defaulter is an old customer (new customers are not shipped to for months unpaid)
    since_days[defaulted] = np.maximum(since_days[defaulted], 730)
    since = weekday_before(as_of - days_of(since_days))
    first_month = as_of.astype("datetime64[M]") - (size.invoice_months - 1)
    window_start = first_month.astype("datetime64[D]")
    trade_start = np.maximum(since, window_start)
    # defaulters stopped paying 6–10 months ago (the cast's on the last day of February), kept
    # being shipped to for a while, and were sued a few months later
    stop = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    stop_days = rng.integers(180, 330, n)
    stop_days[:n_cast] = 245
    stop[defaulted] = as_of - days_of(stop_days[defaulted])
    trade_end = np.where(defaulted, stop + days_of(rng.integers(30, 75, n)), as_of)
    trade_end[:n_cast] = np.where(defaulted[:n_cast], stop[:n_cast] + days_of(60), as_of)
    default_days = np.where(np.arange(n) < n_cast, 75, rng.integers(45, 100, n))
    default_date = np.where(
        defaulted, weekday_before(stop + days_of(default_days)), np.datetime64("NaT")
    )

    # names, addresses, people
    trade_zh = np.array([t[0] for t in TRADE_NAMES], dtype=object)[trade]
    trade_py = np.array([t[1] for t in TRADE_NAMES], dtype=object)[trade]
    region_city = np.array([r[0] for r in REGIONS], dtype=object)[region]
    name_word = np.array([x[1] for x in INDUSTRIES], dtype=object)[industry]
    suffix = rng.choice(np.array(SUFFIXES, dtype=object), size=n)
    suffix[ownership == "listed"] = "股份有限公司"
    zh_name = concat(region_city, trade_zh, name_word, suffix)

    legal_form, street, phone_prefix, mail_suffix = (
        np.array([f[k] for f in FOREIGN], dtype=object) for k in (5, 7, 8, 9)
    )
    stems = [[s[0] for s in f[3]] for f in FOREIGN]
    stems_ascii = [[s[1] for s in f[3]] for f in FOREIGN]
    stem = np.array(stems, dtype=object)[country_ix, stem_ix]
    stem_ascii = np.array(stems_ascii, dtype=object)[country_ix, stem_ix]
    word = np.array([list(f[4]) for f in FOREIGN], dtype=object)[country_ix, word_ix]
    en_name = concat(stem, " ", word, " ", legal_form[country_ix])
    name = np.where(foreign, en_name, zh_name)
    name = np.where(cast, cast_names, name)
    # the same name twice (only when drawing more customers than name combinations) gets a number
    repeat = pd.Series(name).groupby(name).cumcount().to_numpy()
    name = np.where(repeat > 0, concat(name, "（", (repeat + 1).astype(str), "）"), name)

    road = rng.choice(np.array(ROADS, dtype=object), size=n)
    number = rng.integers(1, 999, n).astype(str)
    city_ix = rng.integers(0, 3, n)
    foreign_city = np.array(
        [[f[6][k % len(f[6])] for k in range(3)] for f in FOREIGN], dtype=object
    )[country_ix, city_ix]
    address = np.where(
        foreign,
        concat(number, " ", street[country_ix], ", ", foreign_city),
        concat(np.array([r[1] for r in REGIONS], dtype=object)[region], road, number, "号"),
    )
    legal_rep_zh = concat(
        rng.choice(np.array(SURNAMES, dtype=object), size=n),
        rng.choice(np.array(GIVEN_NAMES, dtype=object), size=n),
    )
    people = np.array([[f[10][k % len(f[10])] for k in range(4)] for f in FOREIGN], dtype=object)
    legal_rep = np.where(foreign, people[country_ix, rng.integers(0, 4, n)], legal_rep_zh)
    digits = zero_padded(rng.integers(0, 10_000_000, n), 7)
    phone = np.where(
        foreign,
        concat(phone_prefix[country_ix], digits),
        concat(
            np.array([r[3] for r in REGIONS], dtype=object)[region],
            "-",
            rng.integers(5, 9, n).astype(str),
            digits,
        ),
    )
    industry_slug = np.array([x[2] for x in INDUSTRIES], dtype=object)[industry]
    domain_word = np.where(
        foreign,
        concat(stem_ascii, "-", np.char.lower(word.astype(str)).astype(object)),
        concat(trade_py, industry_slug),
    )
    domain_word = domain_word.astype(str)
    for letter, ascii_letters in ((" ", ""), ("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        domain_word = np.char.replace(domain_word, letter, ascii_letters)
    domain_word = domain_word.astype(object)
    email = np.where(
        foreign,
        concat("accounts@", domain_word, ".", mail_suffix[country_ix]),
        concat(rng.choice(np.array(MAILBOXES, dtype=object), size=n), "@", domain_word, ".com"),
    )
    email[(rng.random(n) < 0.08) & ~cast] = None
    region_code = np.array([r[2] for r in REGIONS], dtype=object)[region]
    uscc = blank_where(foreign, usccs(rng, region_code))
    industry_name = np.array([x[0] for x in INDUSTRIES], dtype=object)[industry]

    book = Book(
        ids=ids,
        foreign=foreign,
        country=country,
        currency=currency,
        rate=rate,
        decimals=decimals,
        behaviour=behaviour,
        strength=strength,
        terms=terms,
        sales_cny=sales_cny,
        since=since,
        trade_start=trade_start,
        trade_end=trade_end,
        stop=stop,
        default_date=default_date,
        status=status,
        key_account=key_account,
        ownership=ownership,
        manager=manager,
        statement_years=statement_years,
        cast=cast,
    )
    text = {
        "name": name,
        "uscc": uscc,
        "registered_address": address,
        "legal_rep": legal_rep,
        "phone": phone,
        "email": email,
        "industry": industry_name,
        "group": group,
        "notes": notes,
    }
    return book, text


#: how much more than the terms' need the demo's approved limits allow (bills and open orders)
BILLS_AND_ORDERS_ROOM = 1.8


def customers_table(
    rng: np.random.Generator,
    book: Book,
    text: dict[str, Array],
    monthly_sales_local: Array,
    as_of: np.datetime64,
) -> pd.DataFrame:
    """The Customers table: the book's facts plus the limits, insurance and managers on record."""
    n = len(book.ids)
    step = np.where(book.currency == "JPY", 1_000_000.0, 10_000.0)
    # the approved limit is a past human decision: what the terms need, with room for the bank
    # acceptance bills (exposure until they mature, up to six months) and the open orders that
    # a credit manager sees on top of the invoices; rounded
    need = monthly_sales_local * (book.terms + 15) / 30
    approved = np.round(need * BILLS_AND_ORDERS_ROOM * rng.uniform(0.8, 1.3, n) / step) * step
    approved = np.maximum(approved, step)
    no_limit = (rng.random(n) < 0.05) & ~book.cast
    no_limit |= book.ids == NEW_CUSTOMER
    approved[no_limit] = np.nan
    year_end = np.datetime64(f"{as_of.astype('datetime64[Y]')}-12-31")
    mid_next = (as_of.astype("datetime64[Y]") + 1).astype("datetime64[D]") + days_of(180)
    valid_until = np.where(rng.random(n) < 0.5, year_end, mid_next).astype("datetime64[D]")
    expired = ((rng.random(n) < 0.08) & ~book.cast) | (book.ids == HOLD_CUSTOMER)
    valid_until[expired] = weekday_before(as_of - days_of(rng.integers(20, 200, n)))[expired]
    valid_until[no_limit] = np.datetime64("NaT")

    insured = ((rng.random(n) < np.where(book.foreign, 0.8, 0.2)) & ~no_limit) | (
        book.ids == "C00015"
    )
    insured &= book.behaviour != DEFAULTED
    insured_limit = np.where(
        insured, np.round(approved * rng.uniform(0.5, 1.0, n) / step) * step, np.nan
    )
    insured_limit = np.where(insured, np.maximum(insured_limit, step), np.nan)
    insurer = rng.choice(np.array(INSURERS[1:], dtype=object), size=n)
    insurer[book.foreign] = INSURERS[0]  # export credit insurance
    insurer = blank_where(~insured, insurer)
    cover = np.where(insured, rng.choice(np.array([80.0, 85.0, 90.0]), size=n), np.nan)
    # the insurer's maximum credit period: 120 days for export cover, 90 at home
    insurer_max_terms = np.where(insured, np.where(book.foreign, 120.0, 90.0), np.nan)

    manager_name = np.array([m[0] for m in ACCOUNT_MANAGERS], dtype=object)[book.manager]
    manager_email = concat(
        np.array([m[1] for m in ACCOUNT_MANAGERS], dtype=object)[book.manager], "@" + OUR_DOMAIN
    )
    # size at contract signing, from what the book already knows (no draw: the other figures
    # stay as they were): SOEs and listed companies are large, the rest by their monthly sales
    rates = {f[1]: f[2] for f in FOREIGN}
    sales_cny = monthly_sales_local * pd.Series(book.currency).map(rates).fillna(1.0).to_numpy()
    size = np.select(
        [
            np.isin(book.ownership, ["soe", "listed"]) | (sales_cny >= 2_000_000),
            sales_cny >= 500_000,
            sales_cny >= 100_000,
        ],
        ["large", "medium", "small"],
        "micro",
    ).astype(object)
    # a foreign buyer who agreed on its own terms: an English contract, arbitration in
    # Singapore, the CISG applying (every other customer takes the Policy's contract defaults)
    own_terms = book.ids == OWN_CONTRACT_TERMS_CUSTOMER
    expected_step = np.where(book.currency == "JPY", 100_000.0, 1_000.0)
    expected = monthly_sales_local * rng.uniform(0.9, 1.1, n)
    expected = np.round(expected / expected_step) * expected_step
    return schema_table(
        schema.CUSTOMERS,
        {
            "customer_id": book.ids,
            **text,
            "country": book.country,
            "ownership": book.ownership,
            "account_manager": manager_name,
            "manager_email": manager_email,
            "since": book.since,
            "key_account": book.key_account,
            "currency": book.currency,
            "payment_terms_days": book.terms,
            "expected_monthly_sales": expected,
            "approved_limit": approved,
            "limit_valid_until": valid_until,
            "insured_limit": insured_limit,
            "insurer": insurer,
            "insurance_cover_pct": cover,
            "insurer_max_terms_days": insurer_max_terms,
            "status": book.status,
            "enterprise_size": size,
            "defaulted": book.behaviour == DEFAULTED,
            "default_date": book.default_date,
            "contract_language": blank_where(~own_terms, np.full(n, "en", dtype=object)),
            "governing_law": np.full(n, None, dtype=object),
            "forum": blank_where(~own_terms, np.full(n, "siac", dtype=object)),
            "cisg": blank_where(~own_terms, np.full(n, "applies", dtype=object)),
        },
    )
