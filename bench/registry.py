"""The benchmarks, in the order `make bench` runs them; later issues add theirs here."""

from bench import (
    api,
    applicant_alerts,
    catalogue,
    dashboard,
    duplicates,
    fanout,
    inbox,
    load,
    matching,
    onboarding,
    pdfs,
    provisioning,
    webhooks,
)

BENCHMARKS = {
    "provisioning": provisioning.provisioning,
    "migrate_noop": provisioning.migrate_noop,
    "inbox": inbox.inbox,
    "onboarding": onboarding.onboarding,
    "rollup": onboarding.rollup,
    "fanout": fanout.fanout,
    "matching": matching.matching,
    "dashboard": dashboard.dashboard,
    "load": load.load,
    "breakdown": load.breakdown,
    "pdfs": pdfs.pdfs,
    "catalogue": catalogue.catalogue,
    "applicant_alerts": applicant_alerts.applicant_alerts,
    "duplicates": duplicates.duplicates,
    "webhooks": webhooks.webhooks,
    "api": api.api,
}
