"""The global permission matrix's world and table (tests/test_matrice_globale.py)."""
