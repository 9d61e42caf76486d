"""The REST API v1 (/api/v1/ on a town's host and on the national one) and its tokens."""
