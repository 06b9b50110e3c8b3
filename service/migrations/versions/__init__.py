"""Migration scripts, one per schema version, applied in order by ``service.store_db.migrate``."""
