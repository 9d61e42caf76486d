"""URLs of a town's back-office, under /gestion/."""

from django.urls import path

from tenant_apps.backoffice.views import demand, exports, inbox, premises, settings

app_name = "backoffice"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("premiers-pas/", settings.getting_started, name="getting_started"),
    path("demandes/actions-groupees/", inbox.bulk, name="bulk"),
    path("demandes/<str:reference>/", demand.detail, name="demand"),
    path("demandes/<str:reference>/statut/", demand.change_status, name="demand_status"),
    path("demandes/<str:reference>/note/", demand.add_note, name="demand_note"),
    path("demandes/<str:reference>/suivi/", demand.follow_up, name="demand_follow_up"),
    path(
        "demandes/<str:reference>/mise-en-relation/",
        demand.introduce_partner,
        name="demand_introduce",
    ),
    path("export/", exports.export, name="export"),
    path("exports/<int:pk>/", exports.export_status, name="export_status"),
    path("exports/<int:pk>/fichier/", exports.export_file, name="export_file"),
    path("locaux/", premises.premises_list, name="premises_list"),
    path("locaux/nouveau/", premises.premises_create, name="premises_create"),
    path("locaux/carte/", premises.premises_map, name="premises_map"),
    path("locaux/import/", premises.premises_import, name="premises_import"),
    path("locaux/import/modele.csv", premises.premises_import_template, name="premises_template"),
    path("locaux/correspondances/", premises.premises_matches, name="premises_matches"),
    path("locaux/<int:pk>/", premises.premises_detail, name="premises_detail"),
    path("locaux/<int:pk>/modifier/", premises.premises_edit, name="premises_edit"),
    path("locaux/<int:pk>/etat/", premises.premises_state, name="premises_state"),
    path("locaux/<int:pk>/photos/", premises.premises_photo, name="premises_photo"),
    path(
        "locaux/<int:pk>/photos/<int:photo_pk>/supprimer/",
        premises.premises_photo_delete,
        name="premises_photo_delete",
    ),
    path("reglages/", settings.settings_form, name="settings"),
    path("reglages/identite/", settings.identity, name="identity"),
    path("reglages/quartiers/", settings.areas, name="areas"),
    path("reglages/quartiers/<int:pk>/supprimer/", settings.delete_area, name="delete_area"),
    path("reglages/equipe/", settings.team, name="team"),
    path("reglages/equipe/<int:pk>/", settings.change_member, name="change_member"),
]
