"""The web and CLI import: upload, sealed drafts, mapping review, workers and bulk writing."""
