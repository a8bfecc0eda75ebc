"""The names of the cues a workout gives; the audio layer maps them to sounds."""

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
