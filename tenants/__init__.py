"""Towns (the tenants), their domains, schema provisioning and per-town plumbing."""
