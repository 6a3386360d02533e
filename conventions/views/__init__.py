"""Pages of a commune's journey: `dossiers` (agents, communes), `candidatures`,
`conventions` (adhésion, cadre, avenants, documents) and `public` (list, map, open data)."""
