"""Calls for applications (« appels à candidatures ») for a town's trial, pop-up and shared
shops: the call and its conditions, its publication, the porteurs' applications."""
