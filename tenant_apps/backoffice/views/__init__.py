"""The back-office of a town, under /gestion/."""
