"""A commune's journey: candidatures, selection, conventions d'adhésion and cadre (ORT).

Empty for now: the journey is built by the next issue (see docs/ARCHITECTURE.md).
"""
