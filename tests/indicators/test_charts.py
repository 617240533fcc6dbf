"""The SVG charts: accessible, escaped, patterned, and their numbers in a table."""

import datetime as dt
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import translation

from indicators import charts
from indicators.catalogue import Unit
from indicators.report import Part, Report, Value

SVG = "{http://www.w3.org/2000/svg}"
PAYLOAD = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr-ca"):
        yield


def parse(svg: str) -> ElementTree.Element:
    """Well-formed XML or this raises: an unescaped label would break it."""
    return ElementTree.fromstring(str(svg))


def report(values: dict, parts: dict | None = None) -> Report:
    parts = parts or {}
    return Report(
        organization_id=None,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        computed_at=None,
        source="snapshot",
        values={
            code: Value(
                code,
                values.get(code),
                parts=[
                    Part(key, label, part) for key, (label, part) in parts.get(code, {}).items()
                ],
            )
            for code in {*values, *parts}
        },
    )


def test_a_chart_is_an_image_named_by_its_title_and_description():
    svg = charts.horizontal_bars(
        chart_id="chart-test", title="Titre", description="Description", items=[("A", 3)]
    )

    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-test-title chart-test-desc"
    assert root.find(f"{SVG}title").text == "Titre"
    assert root.find(f"{SVG}desc").text == "Description"


def test_every_label_is_escaped_before_the_svg_is_marked_safe():
    svg = charts.stacked_bars(
        chart_id="chart-test",
        title=PAYLOAD,
        description=PAYLOAD,
        categories=[PAYLOAD],
        series=[(PAYLOAD, [Decimal(5)])],
    )
    bars = charts.horizontal_bars(
        chart_id="chart-bars", title=PAYLOAD, description=PAYLOAD, items=[(PAYLOAD, 5)]
    )

    for drawing in (svg, bars):
        assert "<script>" not in drawing
        assert "&lt;script&gt;" in drawing
        parse(drawing)


def test_a_chart_id_must_be_a_plain_slug():
    with pytest.raises(ValueError, match="slug"):
        charts.horizontal_bars(chart_id='x" onload="alert(1)', title="t", description="d", items=[])


def test_stacked_series_differ_by_texture_and_are_named_in_a_legend():
    svg = charts.stacked_bars(
        chart_id="chart-test",
        title="t",
        description="d",
        categories=["janv.", "févr."],
        series=[("Public", [1, 2]), ("Invitation", [3, 4]), ("Gré à gré", [5, 6])],
    )

    assert 'fill="url(#chart-test-fill-1)"' in svg
    assert 'fill="url(#chart-test-fill-2)"' in svg
    assert '<pattern id="chart-test-fill-1"' in svg
    texts = [node.text for node in parse(svg).iter(f"{SVG}text")]
    assert {"Public", "Invitation", "Gré à gré", "janv.", "févr."} <= set(texts)


def test_the_bars_are_labelled_with_their_values():
    svg = charts.horizontal_bars(
        chart_id="chart-test",
        title="t",
        description="d",
        items=[("Inscrites", 12), ("Invitées", 3)],
    )

    texts = [node.text for node in parse(svg).iter(f"{SVG}text")]
    assert texts == ["Inscrites", "12", "Invitées", "3"]


def test_long_labels_are_shortened_in_the_chart_only():
    label = "Services administratifs, services de soutien, gestion des déchets"
    svg = charts.horizontal_bars(
        chart_id="chart-test", title="t", description="d", items=[(label, 1)]
    )

    texts = [node.text for node in parse(svg).iter(f"{SVG}text")]
    assert texts[0].endswith("…")
    assert label in svg  # the bar's own <title> keeps the full label


def test_the_gauge_shows_the_share_the_target_and_the_scale():
    svg = charts.share_gauge(
        chart_id="chart-share",
        title="t",
        description="d",
        value=Decimal("0.2857"),
        target=Decimal("0.25"),
    )

    texts = [node.text for node in parse(svg).iter(f"{SVG}text")]
    assert "Réel : 28,6\xa0%" in texts
    assert "Cible : 25,0\xa0%" in texts
    assert "100\xa0%" in texts
    assert 'class="marker-target"' in svg


def test_the_gauge_says_so_when_no_contract_was_awarded():
    svg = charts.share_gauge(chart_id="chart-share", title="t", description="d", value=None)

    assert "Aucun contrat pour cette période." in svg
    assert 'class="series-0"' not in svg


@pytest.mark.parametrize(
    ("current", "previous", "unit", "expected"),
    [
        (Decimal("40000"), Decimal("10000"), Unit.MONEY, "+30\xa0000,00\xa0$"),
        (1, 3, Unit.COUNT, "−2"),
        (2, 2, Unit.COUNT, "0"),
        (Decimal("0.2857"), Decimal("0.1"), Unit.SHARE, "+18,6\xa0pts"),
        (None, Decimal("0.1"), Unit.SHARE, "—"),
    ],
)
def test_changes_carry_their_sign_and_shares_change_in_points(current, previous, unit, expected):
    assert charts.format_delta(current, previous, unit) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 1.0), (7, 10), (12, 20), (240, 250), (40000, 50000)]
)
def test_axes_end_on_a_round_number(value, expected):
    assert charts._nice_max(value) == expected


def test_the_spend_chart_has_one_bar_and_one_table_row_per_month():
    data = report(
        {"ees_spend": Decimal(40000)},
        {
            "ees_spend_invitation": {"2025-03": ("mars", Decimal(30000))},
            "ees_spend_direct": {"2025-06": ("juin", Decimal(10000))},
        },
    )

    chart = charts.spend_by_method_chart(data, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))

    assert len(chart.rows) == 12
    assert chart.columns[0] == "Mois"
    assert chart.rows[2] == [
        "mars 2025",
        "0,00\xa0$",
        "30\xa0000,00\xa0$",
        "0,00\xa0$",
        "30\xa0000,00\xa0$",
    ]
    assert "Total : 40\xa0000,00\xa0$" in chart.svg


def test_a_breakdown_chart_keeps_the_ten_largest_parts_and_lists_all_in_its_table():
    parts = {f"{k}": (f"Secteur {k}", Decimal(1000 * k)) for k in range(10, 25)}
    data = report({"ees_spend": Decimal(1)}, {"ees_spend": parts})

    chart = charts.breakdown_chart(data, breakdown="sector", title="Par secteur")

    texts = [node.text for node in parse(chart.svg).iter(f"{SVG}text")]
    assert texts[0] == "Secteur 24"
    assert "Tous les autres" in texts
    assert "Secteur 10" not in texts
    assert len(chart.rows) == 15
    assert chart.rows[0][0] == "Secteur 24"


def test_a_breakdown_chart_escapes_a_hostile_part_label():
    data = report({"ees_spend": Decimal(1)}, {"ees_spend": {"1": (PAYLOAD, Decimal(5))}})

    chart = charts.breakdown_chart(data, breakdown="region", title="Par région")

    assert "<script>" not in chart.svg
    parse(chart.svg)


# --- formatting -------------------------------------------------------------------------
def test_amounts_follow_the_language():
    assert charts.money(Decimal("-1234.5")) == "-1\xa0234,50\xa0$"
    with translation.override("en"):
        assert charts.money(Decimal("-1234.5")) == "-$1,234.50"
        assert charts.percent(Decimal("0.2857")) == "28.6%"
    assert charts.percent(Decimal("0.2857")) == "28,6\xa0%"


def test_a_data_table_escapes_its_cells_and_heads_each_row_with_its_label():
    from django.template.loader import render_to_string

    chart = charts.Chart("table-x", "Titre", "", ["Partie", "Valeur"], [[PAYLOAD, "1 < 2"]])

    html = render_to_string("indicators/partials.html#table", {"chart": chart})

    assert (
        '<tr><th scope="row">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</th>'
        '<td class="num">1 &lt; 2</td></tr>'
    ) in html
    assert "<script>" not in html
