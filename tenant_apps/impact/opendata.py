"""The town's open data: the dashboard's aggregate figures over the last 12 months, with
no personal data (no reference, name, address, activity text or partner), and small
counts (1 or 2) withheld so that nobody can be singled out."""

from django.utils import timezone

from tenant_apps.impact.kpis import Period, dashboard

LICENCE_NAME = "Licence Ouverte / Open Licence version 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
MIN_COUNT = 3
SECRECY = (
    "Secret statistique : un effectif de 1 ou 2 est publié vide (null), ainsi que le plus "
    "petit autre effectif de sa liste quand il est seul (il se déduirait du total) et les "
    "taux qui en dépendent ; un délai médian ou une moyenne calculés sur moins de 3 demandes ne "
    "sont pas publiés."
)
# Refusal reasons as published (keys of the CSV and JSON).
REASON_KEYS = {
    "Le prix": "refus_prix",
    "La surface": "refus_surface",
    "Le quartier": "refus_quartier",
    "L’état du local": "refus_etat",
    "Autre raison": "refus_autre",
}


def safe(count):
    return None if count is not None and 0 < count < MIN_COUNT else count


def suppressed(values):
    """The values with small counts withheld, and — when a single one is withheld — the
    next smallest too, so that it cannot be recovered by subtraction from the total."""
    result = [safe(value) for value in values]
    hidden = [i for i, value in enumerate(result) if value is None and values[i] is not None]
    if len(hidden) == 1:
        others = [i for i, value in enumerate(result) if value]
        if others:
            result[min(others, key=lambda i: result[i])] = None
    return result


def counts(rows, key):
    values = suppressed([row.value for row in rows])
    return [{key: row.label, "demandes": value} for row, value in zip(rows, values, strict=True)]


def funnel(rows):
    """Counts per stage; a rate is withheld when either count it compares is withheld."""
    values = [safe(row.value) for row in rows]
    result = []
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        previous = values[index - 1] if index else value
        first = values[0]
        result.append(
            {
                "etape": row.label,
                "demandes": value,
                "taux_depuis_etape_precedente_pct": row.extra["from_previous"]
                if value is not None and previous is not None
                else None,
                "taux_depuis_nouvelle_pct": row.extra["from_first"]
                if value is not None and first is not None
                else None,
            }
        )
    return result


def delay(delays):
    if delays.count < MIN_COUNT:
        return {"demandes": safe(delays.count), "mediane": None, "p75": None}
    return {"demandes": delays.count, "mediane": delays.median, "p75": delays.p75}


def tension(rows, key):
    return [
        {
            key: row.label,
            "demandes_en_cours": safe(row.extra["demands"]),
            "locaux_disponibles": row.extra["premises"],
            "demandes_par_local": row.value if row.extra["demands"] >= MIN_COUNT else None,
        }
        for row in rows
    ]


def proposals(board):
    """Proposals and answers; a mean or a rate is withheld with the counts it rests on,
    and « intéressé » / « pas pour moi » together so neither comes from the answers."""
    figures = board.proposals
    proposed, answered = safe(figures.proposed), safe(figures.answered)
    interested, declined = suppressed([figures.interested, figures.declined])
    return {
        "demandes_ayant_recu_une_proposition": safe(figures.demands_proposed),
        "propositions_par_demande": figures.per_demand
        if figures.demands_proposed >= MIN_COUNT
        else None,
        "propositions_faites": proposed,
        "reponses": answered,
        "reponses_interesse": interested,
        "reponses_pas_pour_moi": declined,
        "taux_de_reponse_pct": figures.answer_rate
        if proposed is not None and answered is not None
        else None,
    }


def refusals(rows, key):
    """Refused proposals per band and reason; small totals withheld across the bands, and
    small reasons within a band (all of them when the band's total is withheld)."""
    totals = suppressed([row.value for row in rows])
    result = []
    for row, total in zip(rows, totals, strict=True):
        counts = [count for _, count in row.extra["reasons"]]
        reasons = suppressed(counts) if total is not None else [None if n else 0 for n in counts]
        result.append(
            {
                key: row.label,
                "refus": total,
                **{
                    REASON_KEYS[label]: value
                    for (label, _), value in zip(row.extra["reasons"], reasons, strict=True)
                },
            }
        )
    return result


def open_data(territory, today=None):
    period = Period.last_months(12, today)
    board = dashboard(period)
    return {
        "titre": f"Demandes de locaux commerciaux et locaux vacants — {territory.name}",
        "producteur": territory.name,
        "code_officiel": territory.official_code,
        "licence": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "genere_le": timezone.now().isoformat(timespec="seconds"),
        "periode": {"debut": period.start.isoformat(), "fin": period.end.isoformat()},
        "secret_statistique": SECRECY,
        "indicateurs": {
            "demandes_recues": safe(board.total),
            "demandes_par_mois": [
                {"mois": row.extra["month"].strftime("%Y-%m"), "demandes": value}
                for row, value in zip(
                    board.per_month,
                    suppressed([row.value for row in board.per_month]),
                    strict=True,
                )
            ],
            "demandes_par_categorie": counts(board.by_category, "categorie"),
            "demandes_par_quartier": counts(board.by_area, "quartier"),
            "demandes_par_statut": counts(board.by_status, "statut"),
            "avancement_des_projets": counts(board.by_stage, "avancement"),
            "parcours": funnel(board.funnel),
            "delai_premier_contact_jours": delay(board.first_contact),
            "delai_installation_jours": delay(board.installation),
            "delai_premiere_proposition_jours": delay(board.first_proposal),
            "propositions": proposals(board),
            "refus_par_type_de_local": refusals(board.refusals_by_kind, "type_de_local"),
            "refus_par_surface": refusals(board.refusals_by_size, "surface"),
            "refus_par_prix": refusals(board.refusals_by_price, "prix"),
            "catalogue": {
                "vues_des_pages_des_locaux": board.catalogue.views,
                "ce_local_m_interesse": safe(board.catalogue.interests),
            },
            "tension_par_quartier": tension(board.tension_by_area, "quartier"),
            "tension_par_type_de_local": tension(board.tension_by_kind, "type_de_local"),
            "locaux_par_etat": [
                {"etat": row.label, "locaux": row.value} for row in board.premises_by_state
            ],
            "duree_de_vacance_des_locaux_loues_ou_vendus_jours": {
                "locaux": board.vacancy.count,
                "mediane": board.vacancy.median,
                "p75": board.vacancy.p75,
            },
        },
    }


def open_data_rows(data):
    """The same figures as CSV rows: indicateur; dimension; mesure; valeur."""
    rows = [["indicateur", "dimension", "mesure", "valeur", "debut", "fin"]]
    start, end = data["periode"]["debut"], data["periode"]["fin"]

    def add(indicator, dimension, measure, value):
        rows.append([indicator, dimension, measure, "" if value is None else value, start, end])

    for name, value in data["indicateurs"].items():
        if isinstance(value, list):
            for item in value:
                label_key, *measures = item.keys()
                for measure in measures:
                    add(name, item[label_key], measure, item[measure])
        elif isinstance(value, dict):
            for measure, figure in value.items():
                add(name, "", measure, figure)
        else:
            add(name, "", "valeur", value)
    return rows
