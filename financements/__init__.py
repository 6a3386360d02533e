"""Pillar 2: mesures, sources de financement, financements, actions, labels.

Empty for now (see docs/ARCHITECTURE.md).
"""
