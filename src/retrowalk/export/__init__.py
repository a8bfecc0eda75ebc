"""Walks taken elsewhere: FIT activity files of sessions, and the programme as calendar events."""
