"""A town's partner network: who is in it, what each partner wants to hear about, alerts."""
