"""The email templates every town starts with (its admins edit or delete them)."""

READY_TEMPLATES = [
    (
        "Premier contact",
        "Votre demande {reference} : faisons connaissance",
        "Bonjour {prenom},\n\n"
        "J’ai bien reçu votre demande de local pour « {activite} » et je m’en occupe pour "
        "{ville}. Pourriez-vous me dire quand vous joindre par téléphone, pour préciser "
        "votre projet ?\n\n"
        "Vous suivez votre demande ici : {lien_suivi}\n\n"
        "Bien cordialement,\n{agent}\n{ville}",
    ),
    (
        "Locaux proposés",
        "Des locaux pour votre projet ({reference})",
        "Bonjour {prenom},\n\n"
        "Voici les locaux que nous vous proposons :\n{locaux_proposes}\n\n"
        "Dites-nous, sur votre page de suivi, lesquels vous intéressent : {lien_suivi}\n"
        "Vous pouvez aussi simplement répondre à ce courriel.\n\n"
        "Bien cordialement,\n{agent}\n{ville}",
    ),
    (
        "Demande de précisions",
        "Votre demande {reference} : quelques précisions",
        "Bonjour {prenom},\n\n"
        "Pour vous proposer les bons locaux, il nous manque quelques informations sur votre "
        "projet « {activite} » : la surface dont vous avez besoin, votre budget et la date "
        "d’ouverture souhaitée. Répondez simplement à ce courriel.\n\n"
        "Bien cordialement,\n{agent}\n{ville}",
    ),
]
