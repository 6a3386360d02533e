"""The territories in the REST API (`/api/v1/regions/`, `departements/`, `epci/`, `communes/`):
public reference data, read-only, addressed by their official codes."""
