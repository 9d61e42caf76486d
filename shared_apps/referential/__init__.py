"""Official referentials shipped as data (NAF codes; communes and EPCI later) and the
validators of official identifiers (SIREN, SIRET, French phone numbers)."""
