"""Participatory-budgeting engine."""
