"""The national site: home page, legal pages, ANCT console."""
