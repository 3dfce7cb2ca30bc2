"""Consolidation internals: name keys, profiles, clustering, fact merging (`briefings.consolidate`)."""
