"""Both languages everywhere: the same message keys, Babel formats, and no page left in English."""

import re
import tomllib
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics.i18n import (
    LOCALES_DIR,
    catalogue,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_percent,
    languages,
    t,
)
from analytics.reference.load import load_reference
from analytics.register.codes import CODES, message_key
from tests.conftest import ROOT

# Every st.Page of app.py (its path may be on the line after "st.Page(", as ruff formats it).
PAGES = re.findall(r'st\.Page\(\s*"(app_pages/[a-z_]+/[a-z_]+\.py)"', (ROOT / "app.py").read_text())
PLACEHOLDER = re.compile(r"\{[^}]*\}")


def _keys(path) -> set[str]:
    def walk(table, prefix=""):
        for key, value in table.items():
            yield from (
                walk(value, f"{prefix}{key}.") if isinstance(value, dict) else [f"{prefix}{key}"]
            )

    with path.open("rb") as f:
        return set(walk(tomllib.load(f)))


@pytest.mark.parametrize("lang", [lang for lang in languages() if lang != "en"])
def test_every_area_file_has_the_same_keys_in_every_language(lang):
    """A key in one language and not in another fails here, area file by area file."""
    english = sorted(p.name for p in (LOCALES_DIR / "en").glob("*.toml"))
    assert sorted(p.name for p in (LOCALES_DIR / lang).glob("*.toml")) == english
    for name in english:
        en, other = _keys(LOCALES_DIR / "en" / name), _keys(LOCALES_DIR / lang / name)
        assert sorted(en - other) == [], f"missing in {lang}/{name}"
        assert sorted(other - en) == [], f"missing in en/{name}"


@pytest.mark.parametrize("lang", [lang for lang in languages() if lang != "en"])
def test_placeholders_are_the_same_in_every_language(lang):
    en, other = catalogue("en"), catalogue(lang)
    differ = [
        k
        for k in en
        if k in other and set(PLACEHOLDER.findall(en[k])) != set(PLACEHOLDER.findall(other[k]))
    ]
    assert differ == []


@pytest.mark.parametrize(
    ("fn", "value", "lang", "expected"),
    [
        # Babel's separators: narrow no-break space (U+202F) between thousands, no-break space before units.
        (
            lambda x, lang: fmt_money(x, lang, compact=False),
            1234567.8,
            "fr",
            "1\u202f234\u202f567,8\xa0$",
        ),
        (lambda x, lang: fmt_money(x, lang, compact=False), 1234567.8, "en", "$1,234,567.8"),
        (fmt_money, 1234567.8, "fr", "1,2\xa0M\xa0$"),
        (fmt_money, 1234567.8, "en", "$1.2M"),
        (fmt_money, -20_000, "en", "-$20K"),
        (fmt_percent, 0.048, "fr", "4,8\xa0%"),
        (fmt_percent, 0.048, "en", "4.8%"),
        (lambda x, lang: fmt_percent(x, lang, 0), 0.05, "fr", "5\xa0%"),
        (fmt_date, date(2026, 11, 23), "fr", "23 nov. 2026"),
        (fmt_date, date(2026, 11, 23), "en", "Nov 23, 2026"),
        (fmt_number, 1234, "fr", "1\u202f234"),
        (fmt_number, float("nan"), "fr", "pas de données"),
    ],
)
def test_numbers_dates_and_money_follow_the_language(fn, value, lang, expected):
    assert fn(value, lang) == expected


def _english_only() -> tuple[set[str], list[str]]:
    """English texts whose French differs: whole values, and long fragments of values with placeholders."""
    en, fr = catalogue("en"), catalogue("fr")
    # meta.* (the language's own name, "English") is shown in its own language by design: the
    # language switch offers "English" and "Français" whatever the page's language.
    texts = {
        v
        for k, v in en.items()
        if fr.get(k) != v and re.search(r"[A-Za-z]{3}", v) and not k.startswith("meta.")
    }
    ref = load_reference()
    for column in ("label", "name"):
        for frame in (ref.codelists, ref.regions, ref.objectives):
            if f"{column}_en" in frame.columns:
                texts |= {
                    e
                    for e, f in zip(frame[f"{column}_en"], frame[f"{column}_fr"], strict=True)
                    if e != f
                }
    whole = {x for x in texts if not PLACEHOLDER.search(x)}
    fragments = [f.strip() for x in texts for f in PLACEHOLDER.split(x) if len(f.split()) >= 3]
    return whole, fragments


def _shown(at: AppTest) -> list[str]:
    """Every text the page shows: headings, paragraphs, messages, widget labels and options, HTML."""
    out: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "caption",
        "markdown",
        "info",
        "warning",
        "error",
        "success",
        "text",
    ):
        out += [str(e.value) for e in at.get(kind)]
    for kind in (
        "button",
        "checkbox",
        "toggle",
        "text_input",
        "selectbox",
        "multiselect",
        "radio",
        "select_slider",
        "metric",
        "expander",
        "tab",
    ):
        for e in at.get(kind):
            out.append(str(getattr(e, "label", "") or getattr(e.proto, "label", "")))
            out += [str(o) for o in getattr(e, "options", []) or []]
    out += [str(e.proto.body) for e in at.get("html")]
    return out


def test_every_page_of_the_app_is_checked_in_french():
    """The list below is read from app.py: an empty list would check nothing, silently."""
    assert len(PAGES) == len(set(PAGES)) == (ROOT / "app.py").read_text().count("st.Page(")
    assert all((ROOT / p).is_file() for p in PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_english_in_french(page):
    """Each page with ?lang=fr: no English message or label whose French differs appears on it."""
    whole, fragments = _english_only()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "fr"
    at.switch_page(page)
    at.run()
    assert not at.exception
    shown = _shown(at)
    assert shown, "nothing rendered"
    exact = sorted({s for s in shown if s.strip() in whole})
    inside = sorted({f for f in fragments for s in shown if f in s})
    assert exact == [] and inside == [], f"English on {page}: {exact + inside}"


# --- every issue code, plural forms, a language as a folder (#14) -------------------------------


def _forms(lang: str, key: str) -> dict[str, str]:
    """A message and its plural forms (key.one, key.other…), as the catalogue holds them."""
    return {k: v for k, v in catalogue(lang).items() if k == key or k.startswith(f"{key}.")}


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_issue_code_has_a_message_in_every_language(code):
    """Derived from analytics.register.codes, the one declaration an Issue must use."""
    english = _forms("en", message_key(code))
    assert english, f"no English message for {code}"
    for lang in languages():
        forms = _forms(lang, message_key(code))
        assert set(forms) == set(english), f"{lang}: {code}"
        for key, text in forms.items():
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), key


def test_every_report_message_is_a_declared_code():
    """No message left for a code nothing emits any more."""
    keys = {k.split(".")[1] for k in catalogue("en") if k.startswith(("errors.", "warnings."))}
    assert keys == set(CODES)


@pytest.mark.parametrize(
    ("key", "lang", "count", "expected"),
    [
        ("report.errors_count", "en", 1, "1 error"),
        ("report.errors_count", "en", 2, "2 errors"),
        ("report.errors_count", "en", 0, "0 errors"),
        ("report.errors_count", "fr", 1, "1 erreur"),
        ("report.errors_count", "fr", 0, "0 erreur"),  # French: 0 and 1 take the singular
        ("report.errors_count", "fr", 2, "2 erreurs"),
        ("report.warnings_count", "fr", 1_000_000, "1000000 avertissements"),  # CLDR "many"
        ("audit_page.count", "fr", 1, "1 entrée"),
        ("audit_page.count", "fr", 2, "2 entrées"),
        ("audit_page.count", "en", 1, "1 entry"),
    ],
)
def test_counts_take_the_plural_form_of_the_language(key, lang, count, expected):
    assert t(key, lang, count=count) == expected


@pytest.mark.parametrize("lang", languages())
def test_no_message_hedges_its_plural(lang):
    """'erreur(s)' is never written: a count chooses its plural form (t(..., count=n))."""
    hedged = [k for k, v in catalogue(lang).items() if re.search(r"\w\((?:s|e?s)\)", v)]
    assert hedged == []


def test_summary_of_a_report_in_both_languages(tmp_path):
    from analytics.register.messages import summary
    from analytics.register.reading import load_workbook
    from tests.workbooks import contribution, valid_register

    path = valid_register(tmp_path / "r.xlsx", contributions=[contribution("C1", "P1", amount="x")])
    report = load_workbook(path, region="RBD").report
    assert summary(report, None, "en").startswith("1 error and 0 warnings:")
    assert summary(report, None, "fr").startswith("1 erreur et 0 avertissement\u00a0:")


def test_a_third_language_is_a_folder(tmp_path, monkeypatch):
    """A copy of locales/ with an 'es' folder: its sheet names, headers and yes/no words are read."""
    import shutil

    import analytics.i18n as i18n
    from analytics.register import headers, parsing
    from analytics.register.reading import load_workbook
    from tests.workbooks import CONTRIBUTION_HEADER, PARTNER_HEADER, contribution, partner, write

    folder = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, folder)
    shutil.copytree(folder / "en", folder / "es")
    core = (folder / "es" / "core.toml").read_text(encoding="utf-8")
    core = core.replace('Partners = "Partners"', 'Partners = "Socios"')
    core = core.replace('partner_name = "partner_name"', 'partner_name = "nombre_socio"')
    core = core.replace('yes_words = "yes, y, true"', 'yes_words = "sí, verdadero"')
    (folder / "es" / "core.toml").write_text(core, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", folder)
    caches = (i18n.catalogue, headers._header_names, parsing.bool_words, parsing.country_lookup)
    for cached in caches:
        cached.cache_clear()
    try:
        assert "es" in languages()
        row = partner("P1", has_kpis="Sí")
        path = write(
            tmp_path / "es.xlsx",
            {
                "Socios": [
                    [h.replace("partner_name", "nombre_socio") for h in PARTNER_HEADER],
                    row,
                ],
                "Contributions": [CONTRIBUTION_HEADER, contribution("C1", "P1")],
            },
        )
        result = load_workbook(path, region="RBD")
        assert result.report.errors == [], result.report.errors
        assert bool(result.register.partners["has_kpis"].iloc[0])
        assert result.register.layouts["Partners"].name == "Socios"
    finally:
        for cached in caches:
            cached.cache_clear()
