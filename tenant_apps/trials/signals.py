"""A selected application starts its trial: the jury's decision (calls' signal, sent after
the decision commits) is enough, nobody has to start it by hand."""


def application_decided(sender, application, **kwargs):
    from tenant_apps.calls.enums import Decision
    from tenant_apps.trials.services import start_trial

    if application.decision == Decision.SELECTED:
        start_trial(application, by=application.decided_by)


def connect():
    from tenant_apps.calls.signals import application_decided as decided

    decided.connect(application_decided, dispatch_uid="trials.application_decided")
