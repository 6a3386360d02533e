"""Pillar 1: chefs de projet, VTA, soutiens en ingénierie, besoins exprimés.

Empty for now (see docs/ARCHITECTURE.md).
"""
