"""FIT activity files with fit-tool (BSD-3): a session as Garmin Connect, Strava and Intervals.icu
read a walk, with one lap a segment.

There is no "backward" sport in FIT: the activity is walking, indoors (`indoor_walking`, or
`treadmill` when the plan gave a speed), under the profile name "Backward walking". A FIT lap
has no name of its own; the activity carries the workout walked, one step a lap, and each lap
points at its step (`wkt_step_index`), which is where devices and sites find a lap's name.

Records are written one by one through a single message object and its definition, not
through fit-tool's builder, which makes a new message object (about a hundred fields) for
every second: an hour's walk takes half a second this way instead of several.
"""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime

from fit_tool.definition_message import DefinitionMessage  # type: ignore[import-untyped]
from fit_tool.fit_file_header import FitFileHeader  # type: ignore[import-untyped]
from fit_tool.message import Message  # type: ignore[import-untyped]
from fit_tool.profile.messages.activity_message import ActivityMessage  # type: ignore[import-untyped]
from fit_tool.profile.messages.event_message import EventMessage  # type: ignore[import-untyped]
from fit_tool.profile.messages.file_id_message import FileIdMessage  # type: ignore[import-untyped]
from fit_tool.profile.messages.lap_message import LapMessage  # type: ignore[import-untyped]
from fit_tool.profile.messages.record_message import RecordMessage  # type: ignore[import-untyped]
from fit_tool.profile.messages.session_message import SessionMessage  # type: ignore[import-untyped]
from fit_tool.profile.messages.workout_message import WorkoutMessage  # type: ignore[import-untyped]
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage  # type: ignore[import-untyped]
from fit_tool.profile.profile_type import (  # type: ignore[import-untyped]
    Activity as ActivityType,
)
from fit_tool.profile.profile_type import (
    Event,
    EventType,
    FileType,
    Intensity,
    LapTrigger,
    Manufacturer,
    SessionTrigger,
    Sport,
    SubSport,
    WorkoutStepDuration,
)
from fit_tool.record import Record  # type: ignore[import-untyped]
from fit_tool.utils.crc import crc16  # type: ignore[import-untyped]

from retrowalk.core.plans import Kind
from retrowalk.core.safe_text import printable
from retrowalk.export.activity import Activity, Lap

SPORT_PROFILE_NAME = "Backward walking"
INTENSITY = {
    Kind.WARMUP: Intensity.WARMUP,
    Kind.BACKWARD: Intensity.ACTIVE,
    Kind.FORWARD: Intensity.RECOVERY,
    Kind.REST: Intensity.REST,
    Kind.COOLDOWN: Intensity.COOLDOWN,
}
FIT_EPOCH_S = 631_065_600
"""1989-12-31 00:00 UTC, where FIT's own timestamps begin, in Unix seconds."""
NAME_CHARS = 60


def _ms(moment: datetime) -> int:
    """fit-tool takes times as milliseconds since the Unix epoch."""
    return round(moment.timestamp() * 1000)


def _text(value: str) -> str:
    """A name as a FIT string: printable (no control characters) and not too long."""
    return printable(value)[:NAME_CHARS]


class _Writer:
    """Definition and data records into one buffer; each local message number is defined
    again only when what it carries changes."""

    def __init__(self) -> None:
        self.body = bytearray()
        self._defined: dict[int, bytes] = {}

    def write(self, message: Message, definition: DefinitionMessage | None = None) -> None:
        if definition is None:
            definition = DefinitionMessage.from_data_message(message)
            encoded = Record.from_message(definition).to_bytes()
            if self._defined.get(message.local_id) != encoded:
                self._defined[message.local_id] = encoded
                self.body.extend(encoded)
        message.set_definition_message(definition)
        self.body.extend(Record.from_message(message).to_bytes())

    def define(self, message: Message) -> DefinitionMessage:
        """Define `message`'s local number once, for a run of messages shaped alike."""
        definition = DefinitionMessage.from_data_message(message)
        encoded = Record.from_message(definition).to_bytes()
        self._defined[message.local_id] = encoded
        self.body.extend(encoded)
        return definition

    def file(self) -> bytes:
        header = FitFileHeader(records_size=len(self.body), gen_crc=True).to_bytes()
        data = bytes(header) + bytes(self.body)
        return data + struct.pack("<H", crc16(data))


def encode(activity: Activity) -> bytes:
    """The FIT activity file of `activity`."""
    session = activity.session
    sub_sport = SubSport.TREADMILL if activity.treadmill else SubSport.INDOOR_WALKING
    out = _Writer()

    file_id = FileIdMessage(local_id=0)
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.product_name = "retrowalk"
    file_id.serial_number = zlib.crc32(session.id.encode("utf-8")) or 1
    file_id.time_created = _ms(activity.start)
    out.write(file_id)

    workout = WorkoutMessage(local_id=1)
    workout.workout_name = _text(session.plan)
    workout.sport = Sport.WALKING
    workout.sub_sport = sub_sport
    workout.num_valid_steps = len(activity.laps)
    out.write(workout)
    for index, lap in enumerate(activity.laps):
        step = WorkoutStepMessage(local_id=2)
        step.message_index = index
        step.workout_step_name = _text(lap.name)
        step.duration_type = WorkoutStepDuration.TIME
        step.duration_time = float(lap.planned_s)
        step.intensity = _intensity(lap.kind)
        out.write(step)

    _event(out, activity.start, EventType.START)
    _records(out, activity)
    _event(out, activity.end, EventType.STOP_ALL)

    for index, lap in enumerate(activity.laps):
        out.write(_lap_message(index, lap, sub_sport))
    out.write(_session_message(activity, sub_sport))

    summary = ActivityMessage(local_id=8)
    summary.timestamp = _ms(activity.end)
    summary.total_timer_time = float(activity.timer_s)
    summary.num_sessions = 1
    summary.type = ActivityType.MANUAL
    summary.event = Event.ACTIVITY
    summary.event_type = EventType.STOP
    local_end = activity.end.astimezone(session.started_at.tzinfo)
    summary.local_timestamp = int(local_end.replace(tzinfo=UTC).timestamp()) - FIT_EPOCH_S
    out.write(summary)
    return out.file()


def _intensity(kind: Kind | None) -> Intensity:
    return Intensity.ACTIVE if kind is None else INTENSITY[kind]


def _event(out: _Writer, at: datetime, kind: EventType) -> None:
    event = EventMessage(local_id=3)
    event.timestamp = _ms(at)
    event.event = Event.TIMER
    event.event_type = kind
    out.write(event)


def _records(out: _Writer, activity: Activity) -> None:
    """A record for every second of timer time; the timer stops and starts around pauses."""
    with_speed = RecordMessage(local_id=4)
    plain = RecordMessage(local_id=5)
    definitions: dict[int, DefinitionMessage] = {}
    pauses = list(activity.pauses)
    for second in activity.seconds:
        while pauses and pauses[0].stopped < second.at:
            pause = pauses.pop(0)
            _event(out, pause.stopped, EventType.STOP_ALL)
            _event(out, pause.started, EventType.START)
        record = plain if second.speed_m_s is None else with_speed
        record.timestamp = _ms(second.at)
        if second.distance_m is not None:
            record.distance = second.distance_m
        if second.speed_m_s is not None:
            record.speed = second.speed_m_s
        if record.local_id not in definitions:
            definitions[record.local_id] = out.define(record)
        out.write(record, definitions[record.local_id])


def _lap_message(index: int, lap: Lap, sub_sport: SubSport) -> LapMessage:
    message = LapMessage(local_id=6)
    message.message_index = index
    message.timestamp = _ms(lap.end)
    message.start_time = _ms(lap.start)
    message.total_elapsed_time = lap.elapsed_s
    message.total_timer_time = float(lap.timer_s)
    if lap.distance_m is not None:
        message.total_distance = lap.distance_m
    if lap.speed_m_s is not None:
        message.avg_speed = lap.speed_m_s
    message.intensity = _intensity(lap.kind)
    message.lap_trigger = LapTrigger.MANUAL
    message.sport = Sport.WALKING
    message.sub_sport = sub_sport
    message.workout_step_index = index
    message.event = Event.LAP
    message.event_type = EventType.STOP
    return message


def _session_message(activity: Activity, sub_sport: SubSport) -> SessionMessage:
    session = activity.session
    message = SessionMessage(local_id=7)
    message.message_index = 0
    message.timestamp = _ms(activity.end)
    message.start_time = _ms(activity.start)
    message.total_elapsed_time = (activity.end - activity.start).total_seconds()
    message.total_timer_time = float(activity.timer_s)
    message.sport = Sport.WALKING
    message.sub_sport = sub_sport
    message.sport_profile_name = SPORT_PROFILE_NAME
    message.first_lap_index = 0
    message.num_laps = len(activity.laps)
    if session.kcal is not None:
        message.total_calories = calories(session.kcal)
    distance = activity.distance_m
    if distance is not None:
        message.total_distance = distance
    message.event = Event.SESSION
    message.event_type = EventType.STOP
    message.trigger = SessionTrigger.ACTIVITY_END
    return message


def calories(kcal: float) -> int:
    """FIT keeps whole kilocalories: the session's figure rounded, halves up."""
    return int(kcal + 0.5)
