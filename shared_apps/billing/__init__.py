"""Plans, subscriptions and invoices of the towns (public schema)."""
