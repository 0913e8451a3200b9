"""The catalog: shared, read-only data - schema, loading, the snapshot, queries."""
