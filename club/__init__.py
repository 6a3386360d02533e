"""Pillar 3, the Club PVD: events, registrations, trainings, cercles thématiques.

Empty for now (see docs/ARCHITECTURE.md).
"""
