"""The board deck: PowerPoint with native charts whose data are the catalogue's, PDF pages, the CLI.

The store holds a tiny register (reference rates: USD 1 per unit), year Y = 2024:

partners  region type                   stage   start
A         RBD    innovation             active  2023-01-01
B         RBD    resource_mobilization  active  2024-02-01
G         RBN    advocacy               active  2024-05-01

contributions  partner date        status    amount (USD)
c1             A       2024-03-01  received  1,000
c2             B       2024-04-01  pledged   3,000
c3             A       2023-05-01  received    500
c4             G       2024-06-01  received  2,000

Contributions 2024 by region: RBD 1,000 (innovation) + 3,000 (resource mobilisation) = 4,000;
RBN 2,000 (advocacy); the four other regions 0. Total 6,000; received 3,000, pledged 3,000.
Active partners 2024: A, B, G = 3; new partnerships 2024: B, G = 2.
"""

import json
import math
import zipfile
from io import BytesIO

import pandas as pd
import pytest
import sqlalchemy as sa
from lxml import etree
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from analytics import cli
from analytics import indicators as ind
from analytics.access.roles import ADMIN, User
from analytics.board import slides
from analytics.board.exports import export
from analytics.board.pdf_deck import pdf_text
from analytics.i18n import t
from analytics.reference.load import load_reference
from analytics.store.versions import open_store
from tests.conftest import ROOT
from tests.registers import contribution, partner, register

T = pd.Timestamp
YEAR = 2024
# Title, story, key indicators, 6 charts, the follow-up of agreements (this store has none: the
# slide says so in a sentence), 2 definitions.
N_SLIDES = 1 + 1 + 1 + len(slides.CHARTS) + 1 + 2
N_PAGES = N_SLIDES + 1  # the PDF ends with the evidence


def _registers():
    rbd = register(
        [
            partner("A", "RBD", partnership_type="innovation", start_date=T("2023-01-01")),
            partner(
                "B", "RBD", partnership_type="resource_mobilization", start_date=T("2024-02-01")
            ),
        ],
        [
            contribution("c1", "A", date=T("2024-03-01"), amount=1000.0),
            contribution("c2", "B", date=T("2024-04-01"), amount=3000.0, status="pledged"),
            contribution("c3", "A", date=T("2023-05-01"), amount=500.0),
        ],
        "RBD",
    )
    rbn = register(
        [
            partner(
                "G", "RBN", partnership_type="advocacy", start_date=T("2024-05-01"), country="KEN"
            )
        ],
        [contribution("c4", "G", date=T("2024-06-01"), amount=2000.0)],
        "RBN",
    )
    return rbd, rbn


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('board') / 'store.db'}"
    store = open_store(url)
    for reg in _registers():
        hq = User("hq", ADMIN)
        upload = store.record_upload(reg.region, f"{reg.region}.xlsx", b"x", "Awa", user=hq)
        store.commit(reg.region, reg, upload_id=upload, uploader="Awa", expected_number=0, user=hq)
    store.close()
    return url


@pytest.fixture(scope="module")
def prepared(db) -> ind.Prepared:
    store = open_store(db)
    partners, contributions = store.load_current()
    store.close()
    return ind.prepare(partners, contributions, load_reference())


def _charts(prs) -> dict[str, object]:
    """Chart slides by their position in the deck (1-based), with their native chart."""
    out = {}
    for n, slide in enumerate(prs.slides, start=1):
        charts = [s.chart for s in slide.shapes if s.has_chart]
        if charts:
            assert len(charts) == 1
            out[n] = charts[0]
    return out


def _series(chart) -> dict[str, list[float]]:
    return {s.name: [math.nan if v is None else v for v in s.values] for s in chart.plots[0].series}


def _expected(prepared, spec: slides.ChartSpec, lang: str, filters=None) -> dict[str, list[float]]:
    """The catalogue's values for a chart slide, pivoted here independently of analytics/slides."""
    ref = prepared.reference
    by = [d for d in ("region", "partnership_type") if d in (spec.category, spec.series)]
    ids = list(spec.indicators)
    if spec.category == "indicator":
        row = ind.compute(prepared, YEAR, (), filters, indicators=ids).iloc[0]
        return {t(f"board.chart.{spec.key}.series", lang): [float(row[i]) for i in ids]}
    if spec.category == "year":
        years = [y for y in ind.years_with_data(prepared) if y <= YEAR][-slides.TREND_YEARS :]
        frame = ind.timeseries(prepared, years, by, filters, indicators=ids)
    else:
        frame = ind.compute(prepared, YEAR, by, filters, indicators=ids)
    if spec.series == "partnership_type":
        table = frame.pivot_table(
            index=spec.category, columns="partnership_type", values=ids[0], sort=False
        )
        return {ref.label("partnership_type", c, lang): table[c].tolist() for c in table.columns}
    out = {ind.short(i, lang): frame[i].astype(float).tolist() for i in ids}
    if spec.target:
        target = ind.targets(prepared, YEAR, by, filters)[ids[0]]
        out[t("board.target", lang)] = target.tolist()
    return out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pptx_has_native_charts_carrying_the_catalogue_values(prepared, lang):
    """Every chart slide is a native chart; its series are the catalogue's values for 2024."""
    deck = slides.build_deck(prepared, YEAR, None, lang)
    prs = Presentation(BytesIO(export(deck, "pptx")))
    assert len(prs.slides) == N_SLIDES
    charts = _charts(prs)
    assert sorted(charts) == list(range(4, 4 + len(slides.CHARTS)))
    for position, spec in zip(sorted(charts), slides.CHARTS, strict=True):
        got, want = _series(charts[position]), _expected(prepared, spec, lang)
        assert got.keys() == want.keys(), spec.key
        for name in want:
            assert got[name] == pytest.approx(want[name], nan_ok=True), (spec.key, name)
    # By hand: RBD stacks 1,000 (innovation) + 3,000 (resource mobilisation), RBN 2,000 (advocacy).
    by_region = charts[4]
    regions = list(by_region.plots[0].categories)
    assert regions[2:4] == ["RBD Dakar", "RBJ Johannesburg"]
    stacks = [
        sum(v for v in col if v == v) for col in zip(*_series(by_region).values(), strict=True)
    ]
    assert stacks == [0, 0, 4000, 0, 2000, 0]
    assert by_region.chart_type is not None and by_region.plots[0].overlap == 100
    # The titles are the language's.
    assert prs.slides[3].shapes.title.text == t("board.chart.by_region.title", lang, period="2024")


def test_pptx_key_indicator_table_and_title_slide(prepared):
    """The summary table shows the catalogue's values as the app formats them; the title slide says the view."""
    deck = slides.build_deck(prepared, YEAR, ind.Filters(regions=["RBD"]), "fr")
    prs = Presentation(BytesIO(export(deck, "pptx")))
    title_text = " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert "2024" in title_text and "RBD Dakar" in title_text and deck.date_label in title_text
    table = next(s.table for s in prs.slides[2].shapes if s.has_table)
    rows = {table.cell(r, 0).text: table.cell(r, 1).text for r in range(1, len(table.rows))}
    # RBD only: contributions 1,000 + 3,000 = 4,000 USD; active partners A and B.
    assert rows[ind.short("contributions_usd", "fr")] == "4\u202f000\xa0$"
    assert rows[ind.short("active_partners", "fr")] == "2"


def test_pptx_is_valid_open_xml_with_embedded_chart_data(prepared):
    """Every XML part parses and each chart carries its data sheet (what PowerPoint needs to open it unrepaired)."""
    data = export(slides.build_deck(prepared, YEAR, None, "en"), "pptx")
    with zipfile.ZipFile(BytesIO(data)) as z:
        assert z.testzip() is None
        names = z.namelist()
        for name in names:
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))
        charts = [n for n in names if n.startswith("ppt/charts/chart") and n.endswith(".xml")]
        assert len(charts) == len(slides.CHARTS)
        embedded = [n for n in names if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
        assert len(embedded) == len(slides.CHARTS)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pdf_has_one_page_per_slide_with_the_text(prepared, lang):
    deck = slides.build_deck(prepared, YEAR, None, lang)
    reader = PdfReader(BytesIO(export(deck, "pdf")))
    assert len(reader.pages) == N_PAGES == len(deck.slides) + 1
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]  # table cells wrap lines
    assert t("board.kpis.title", lang, period="2024") in pages[2]
    # Contributions 2024: 6,000 USD, formatted as on the slide.
    assert (
        " ".join(pdf_text(ind.format_value("contributions_usd", 6000.0, lang)).split()) in pages[2]
    )
    assert t("board.chart.by_region.title", lang, period="2024") in pages[3]
    assert ind.name("due_diligence_coverage", lang) in "".join(pages[-3:-1])


def _run(argv, capsys) -> tuple[int, str]:
    try:
        status = cli.main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        status = exc.code
    return status, capsys.readouterr().err


def test_cli_writes_both_formats(db, tmp_path, capsys):
    pptx, pdf = tmp_path / "board.pptx", tmp_path / "board.PDF"
    assert (
        _run(
            ["export", str(pptx), "--db", db, "--year", "2024", "--region", "RBD", "--lang", "fr"],
            capsys,
        )[0]
        == 0
    )
    prs = Presentation(str(pptx))
    assert len(prs.slides) == N_SLIDES
    by_region = _charts(prs)[4]
    assert list(by_region.plots[0].categories) == ["RBD Dakar"]  # the region filter
    assert sum(v for s in by_region.plots[0].series for v in s.values if v) == 4000
    assert _run(["export", str(pdf), "--db", db], capsys)[0] == 0
    assert len(PdfReader(str(pdf)).pages) == N_PAGES


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["OUT.docx"], "must end in .pptx or .pdf"),
        (["OUT.pptx", "--region", "XYZ"], "unknown region 'XYZ'"),
        (["missing-folder/OUT.pdf"], "cannot write"),
        (["OUT.pptx", "--lang", "de"], "invalid choice"),
    ],
)
def test_cli_bad_usage_is_status_2_with_a_message(db, tmp_path, capsys, args, message):
    out, *rest = args
    status, err = _run(["export", str(tmp_path / out), "--db", db, *rest], capsys)
    assert status == 2
    assert message in err and "Traceback" not in err
    assert not (tmp_path / out).exists()


def test_cli_year_with_no_data_is_the_empty_view_in_export_and_indicators(db, tmp_path, capsys):
    """`export` and `indicators` answer a year with no data alike: the empty view, exit 0, and a
    note saying so (the pages show the same view)."""
    out = tmp_path / "OUT.pptx"
    status, err = _run(["export", str(out), "--db", db, "--year", "1990"], capsys)
    assert status == 0 and out.exists()
    assert "no data for 1990; years with data:" in err and "Traceback" not in err
    assert len(Presentation(str(out)).slides) == N_SLIDES
    assert cli.main(["indicators", "--db", db, "--year", "1990", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "no data for 1990; years with data:" in captured.err
    (row,) = json.loads(captured.out)
    assert row["year"] == 1990 and row["contributions_usd"] == 0 and row["active_partners"] == 0


def _tables(url: str) -> dict[str, list]:
    """Every row of every table of the database at `url` (its default schema)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: sorted(map(tuple, conn.execute(sa.text(f'SELECT * FROM "{name}"'))), key=repr)
                for name in sa.inspect(conn).get_table_names()
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("opened_before", [False, True])
def test_cli_on_an_empty_store_shows_the_samples_and_writes_nothing(
    db_url, tmp_path, capsys, opened_before
):
    """`export` and `indicators` read the samples in memory (issue #15, point 3): the store is
    left as it was, not created when it did not exist; the deck has the samples' numbers."""
    if opened_before:  # an empty store, as the app's first start leaves it before seeding
        open_store(db_url).close()
    before = None if db_url.startswith("sqlite") and not opened_before else _tables(db_url)
    pptx, pdf = tmp_path / "d.pptx", tmp_path / "d.pdf"
    status, err = _run(["export", str(pptx), "--db", db_url], capsys)
    assert status == 0 and t("indicators_cli.empty_store", "en") in err
    assert _run(["export", str(pdf), "--db", db_url, "--lang", "fr"], capsys)[0] == 0
    assert cli.main(["indicators", "--db", db_url]) == 0
    assert cli.main(["indicators", "--db", db_url, "--format", "json"]) == 0
    capsys.readouterr()

    if before is None:
        assert not (tmp_path / "store.db").exists()
    else:
        after = _tables(db_url)
        assert after == before
        assert all(rows == [] for name, rows in after.items() if name != "alembic_version")

    # The deck's numbers are those of a store the app seeded with the same samples.
    seeded = open_store(f"sqlite:///{tmp_path / 'seeded.db'}")
    assert seeded.seed_samples_if_empty()
    prepared = ind.prepare(*seeded.load_current(), load_reference())
    seeded.close()
    year = slides.resolve_period(prepared)[1]
    total = ind.compute(prepared, year, indicators=["contributions_usd"]).iloc[0]
    by_region = _charts(Presentation(str(pptx)))[4]
    shown = sum(v for series in by_region.plots[0].series for v in series.values if v)
    assert shown == pytest.approx(total["contributions_usd"])
    assert len(PdfReader(str(pdf)).pages) == N_PAGES


def test_board_page_presents_the_deck(db, monkeypatch):
    """Presentation mode from the URL: the slide's title, next/previous, the view in the footer."""
    monkeypatch.setenv("DATABASE_URL", db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "fr", "present": "1", "slide": "4"})
    at.switch_page("app_pages/dashboards/board.py")
    at.run()
    assert not at.exception and not at.error
    text = " ".join(str(h.proto.body) for h in at.get("html"))
    assert t("board.chart.by_region.title", "fr", period="2024") in text
    assert t("board.slide_of", "fr", n=4, total=N_SLIDES) in text
    assert t("board.filter.everything", "fr") in text  # the footer
    at.button(key="board_next").click().run()
    assert at.query_params["slide"] == "5"
    text = " ".join(str(h.proto.body) for h in at.get("html"))
    assert t("board.chart.by_type.title", "fr", period="2024") in text
    at.button(key="board_leave").click().run()
    assert "present" not in at.query_params
    assert not at.exception
