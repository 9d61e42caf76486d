"""The jurors' agreement on a call, for the dashboard: it answers the trials' figures hook
(trials.figures.call_agreement) with {call id: agreement in %}.

Agreement: of the applications scored by at least two jurors, the share whose jurors'
weighted scores lie within AGREEMENT_POINTS of each other (on 10). The dashboard says so.
"""

from tenant_apps.jury.services import ranking

AGREEMENT_POINTS = 2


def call_agreement(sender, calls, **kwargs):
    answer = {}
    for call in calls:
        rows = [row for row in ranking(call) if row.count > 1]
        if rows:
            close = sum(row.high - row.low <= AGREEMENT_POINTS for row in rows)
            answer[call.pk] = round(100 * close / len(rows))
    return answer
