"""`people_trained` for the snapshot writer: every scope and standard period in two queries.

indicators.kpis.people_trained is the definition (distinct people of the scope's
organizations who completed an online training module in the period); this computes the
same numbers for every organization's scope and the all-organizations scope at once, with
one conditional aggregate per period. Distinct people cannot be rolled up from months into
quarters and years, hence one aggregate per period rather than per month.
"""

from django.db.models import Count, Q

from indicators.report import Period
from portal.initiatives.models import TrainingCompletion


def people_trained_by_period(periods: list[Period]) -> dict[tuple[int | None, str], int]:
    """{(organization id, or None for all organizations, period key): people trained}.

    Scopes and periods without anyone trained are left out (the writer reads them as 0).
    """
    if not periods:
        return {}
    aggregates = {
        f"p{index}": Count(
            "user",
            distinct=True,
            filter=Q(completed_at__date__gte=period.start, completed_at__date__lte=period.end),
        )
        for index, period in enumerate(periods)
    }
    completions = TrainingCompletion.objects.of_organizations().in_period(
        min(period.start for period in periods), max(period.end for period in periods)
    )
    rows = [(None, completions.aggregate(**aggregates))]
    rows += [
        (row["organization_id"], row)
        for row in completions.values("organization_id").annotate(**aggregates).order_by()
    ]
    return {
        (scope, period.key): row[f"p{index}"]
        for scope, row in rows
        for index, period in enumerate(periods)
        if row[f"p{index}"]
    }
