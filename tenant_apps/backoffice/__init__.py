"""The town staff's back-office shell under /gestion/."""
