"""Runs: one workout's (or one walk test's) life from start to save, with no screen.

A run owns the engine, feeds its cues to the sound, writes its crash checkpoint and saves the
session through stores it is given. The app holds the run; a screen only draws `run.view(now)`
and forwards the user's commands. So the path that must never lose a workout is tested
without a terminal.
"""
