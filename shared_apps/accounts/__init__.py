"""People: user accounts, their roles in towns, and the ANCT platform role."""
