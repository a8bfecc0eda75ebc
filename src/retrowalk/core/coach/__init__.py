"""The coach: a programme followed (its enrolment), the rules that decide each session's
next dose (`rules`; `rules_v1`, the first ones, only to migrate an old programme.toml), the
decision journal they write (`decisions`, `journal`, `book`), where the walker stands at a
moment (`standing`), what the programme's entry starts today (`entry`), the calendar ahead
(`projection`), and the coach seen from the history in words and figures (`overview`).
"""
