"""Standard fiscal tables: classification, header and row understanding, repairs."""
