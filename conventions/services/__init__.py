"""Writes of a commune's journey, one module per subject: `candidatures`, `conventions`,
`echeances` (deadline digests) and `programme` (import of the national list)."""
