"""The domain of retrowalk: plans, the workout engine, sessions, streaks and energy.

Pure Python on purpose: nothing here imports Textual, Rich, an audio library or the rest of the
package, so the rules can be tested with a fake clock and reused by every front end.
"""
