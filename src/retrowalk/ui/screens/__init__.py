"""Screens: each translates key presses into core calls and results into widget attributes."""
