"""The library on disk: the store, its file format and migrations, ingest, and the service."""
