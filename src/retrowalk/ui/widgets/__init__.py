"""Widgets: they display what they are given and post messages; no timing or files here."""
