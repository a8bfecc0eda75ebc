"""The names of the cues a workout or a walk test gives; the audio layer maps them to sounds."""

from __future__ import annotations

from enum import StrEnum


class Cue(StrEnum):
    WARMUP = "warmup"
    BACKWARD = "backward"
    FORWARD = "forward"
    REST = "rest"
    COOLDOWN = "cooldown"
    GET_READY = "get_ready"
    COUNTDOWN = "countdown"
    HALFWAY = "halfway"
    FINISH = "finish"
    PAUSED = "paused"
    RESUMED = "resumed"
    COUNT_3 = "count_3"
    COUNT_2 = "count_2"
    COUNT_1 = "count_1"
    GO = "go"
