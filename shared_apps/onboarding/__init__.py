"""A town opens its own space: choose the commune or EPCI, the address, verify the email."""
