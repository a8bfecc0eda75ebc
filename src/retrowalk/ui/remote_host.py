"""The app as the phone remote's host: what the page shows of the app's use cases, and the
page's commands carried out through the app's own command entries, as the keys do.

It owns the server (loaded only when the remote is switched on, so that start-up never pays
for aiohttp), hands the app's cues to the phones as well, and keeps the app's `phone_link`
up to date for the panel and the headers. No screen knows it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from retrowalk.audio.player import Player
from retrowalk.audio.schedule import CueRequest
from retrowalk.audio.sounds import SoundBank, pause_after
from retrowalk.core import plan_list
from retrowalk.core.cues import Cue
from retrowalk.core.display_text import printable
from retrowalk.core.entry import ProgrammeEntry
from retrowalk.core.plans import Plan
from retrowalk.core.programmes import ProgrammeLevel
from retrowalk.core.settings import Settings
from retrowalk.remote.commands import DONE, Ack, Pause, RemoteCommand, Resume, Skip, Stop, TrialStop
from retrowalk.remote.cues import PhonePlayer
from retrowalk.remote.rules import (
    NO_WORKOUT,
    ON_THE_COMPUTER,
    TrialStep,
    WorkoutStep,
    phone_trial_s,
    start_choice,
    trial_step,
    workout_step,
)
from retrowalk.remote.state import (
    PROGRAMME_CHOICE,
    ElsewhereState,
    HomeState,
    RemoteState,
    StartChoice,
    plan_choice,
    walk_test_state,
    workout_state,
)
from retrowalk.run.walk_test_run import WalkTestRun
from retrowalk.run.walk_tests import WalkTestCommand
from retrowalk.run.workout_run import Command
from retrowalk.run.workout_voice import WorkoutVoice
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.phone_link import LinkState, PhoneLink
from retrowalk.ui.screens.safety import CHECKLIST
from retrowalk.ui.services import HOME

if TYPE_CHECKING:
    from retrowalk.remote.server import Listen, RemoteServer

STOP_WITHIN_S = 1.5
"""How long closing the app waits for the server to say goodbye to the phones: well inside
the three seconds in which the process must be gone."""

STEPS = {
    WorkoutStep.PAUSE: Command.PAUSE,
    WorkoutStep.RESUME: Command.RESUME,
    WorkoutStep.SKIP: Command.SKIP,
    WorkoutStep.STOP: Command.STOP,
}
WORKOUT_COMMANDS = Pause | Resume | Skip | Stop
WALK_TEST_CUES = (Cue.GET_READY, Cue.COUNT_3, Cue.COUNT_2, Cue.COUNT_1, Cue.GO)


class PhoneRemote:
    """The app's side of the phone remote (services.Remote, remote.host.RemoteHost)."""

    def __init__(self, app: RetrowalkApp) -> None:
        self.app = app
        self.server: RemoteServer | None = None
        self._lock = asyncio.Lock()
        self._code: tuple[str, str] = ("", "")
        """The last URL and its QR code: drawn again only for a new link."""
        self._watching_screens = False
        self._phone_go: tuple[WalkTestRun, int, float] | None = None
        """The trial this remote started (its run, number and start): a phone's own time
        is kept only for a trial that phone started."""

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    # ------------------------------------------------------------------ the app's calls

    def cue_player(self, player: Player) -> Player:
        """The app's player, with every cue also announced to the phones that want cues."""
        phone_player: PhonePlayer[CueRequest] = PhonePlayer(player, self, pause_after=pause_after)
        return phone_player

    def start_asked(self) -> None:
        """Switch on at start-up where the command line or config.toml asks."""
        asked = self.app.services.remote_listen
        remote = self.app.settings.remote
        if asked is None and remote.enabled:
            asked = remote.listen
        if asked is not None:
            self.switch(asked)

    def publish(self) -> None:
        """What the app shows may have changed: the phones hear of it (only if it did)."""
        if self.server is not None and self.server.running:
            self.server.publish()

    def prepare_cues(self, plan: Plan | None) -> None:
        """The sound files of the workout of `plan` about to start (None: the walk test's
        count), for phones with cues on to fetch before the first is due."""
        bank = self.app.services.sound_bank
        if self.server is None or not self.server.running or bank is None:
            return
        if plan is None:
            files = {path for cue in WALK_TEST_CUES for path in bank.files_for(cue)}
        else:
            files = workout_files(plan, self.app.settings, bank)
        self.server.set_cue_files(sorted(files))

    def request(self, action: str) -> None:
        """The panel's wish: "on" (where config.toml says, if it is off), "lan",
        "loopback", "off", or "forget" the phones."""
        if action == "forget":
            self.app.run_worker(self._forget(), group="phone-remote", exit_on_error=False)
        elif action == "on":
            if self.app.phone_link.state is LinkState.OFF:
                self.switch(self.app.settings.remote.listen)
        else:
            self.switch(None if action == "off" else action)

    def switch(self, listen: str | None) -> None:
        """Listen on the LAN or on loopback (a fresh link each time), or stop (None); on the
        app's own loop, in the background."""
        where: Listen | None = "lan" if listen == "lan" else None if listen is None else "loopback"
        if where is not None:  # at once, so that a second "on" meanwhile is not a second start
            link = self.app.phone_link
            self._show(dataclasses.replace(link, state=LinkState.STARTING, lan=where == "lan"))
        self.app.run_worker(self._switch(where), group="phone-remote", exit_on_error=False)

    async def close(self) -> None:
        """Stop listening as the app closes, within STOP_WITHIN_S whatever a phone does."""
        server = self.server
        if server is not None and server.running:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.stop(), STOP_WITHIN_S)

    # ------------------------------------------------------------------ the server's calls

    def remote_state(self, now: float) -> RemoteState:
        app = self.app
        run = app.workouts.run
        if app.workouts.walking and run is not None:
            return workout_state(run.view(now), now, plan=run.plan.name, rounds=run.rounds)
        trials = app.walk_test_book.run
        if trials is not None and not trials.abandoned:
            return walk_test_state(trials.view(now), now)
        showing = app.flow.showing()
        return self._home()[0] if showing == HOME else ElsewhereState(showing)

    def remote_command(self, command: RemoteCommand, now: float) -> Ack:
        app = self.app
        run = app.workouts.run
        if app.workouts.walking and run is not None:
            step = workout_step(command, run.view(now))
            if isinstance(step, Ack):
                return step
            segment = command.segment if isinstance(command, Skip) else None
            app.workout_command(STEPS[step], segment=segment)
            return DONE
        trials = app.walk_test_book.run
        if trials is not None and not trials.abandoned:
            return self._trial(trials, command, now)
        if app.flow.showing() == HOME:
            return self._start(command)
        return NO_WORKOUT if isinstance(command, WORKOUT_COMMANDS) else ON_THE_COMPUTER

    def announce_cue(self, due: float, files: Sequence[Path], gaps_s: Sequence[float]) -> None:
        if self.server is not None and self.server.running:
            self.server.announce_cue(due, files, gaps_s)

    def withdraw_cues(self) -> None:
        if self.server is not None and self.server.running:
            self.server.withdraw_cues()

    # ------------------------------------------------------------------ the screens' states

    def _home(self) -> tuple[HomeState, ProgrammeEntry | None]:
        """The home screen's choices, and the programme's entry they were made from."""
        app = self.app
        entry = app.coaching.entry(app.memory.check_in_due)
        programme = None
        if entry is not None:
            programme = StartChoice(
                PROGRAMME_CHOICE,
                printable(entry.title),
                entry.detail,
                entry.may_start,
                printable(entry.why_not),
            )
        note = ""
        trouble = app.coaching.trouble(app.plans_problem is not None)
        if app.plans_problem is not None:
            note = "plans.toml cannot be read: see the computer"
        elif trouble is not None:
            note = printable(trouble)
        elif app.sessions is None:
            note = "Reading your history…"
        state = HomeState(
            plans=tuple(plan_choice(plan) for plan in app.plans),
            programme=programme,
            safety=CHECKLIST if app.settings.workout.safety_check else (),
            note=note,
        )
        return state, entry

    def _start(self, command: RemoteCommand) -> Ack:
        """A start from the phone: only what the home screen's Enter would start, with the
        safety checklist confirmed on the page; the computer's own checklist is skipped."""
        home, entry = self._home()
        choice = start_choice(command, home)
        if isinstance(choice, Ack):
            return choice
        programme: ProgrammeLevel | None = None
        if choice.id == PROGRAMME_CHOICE and entry is not None:
            plan: Plan | None = entry.plan
            programme = entry.programme
        else:
            plan = plan_list.find(self.app.plans, choice.id.removeprefix("plan:"))
        if plan is None:
            return Ack(ok=False, reason="That is no longer on the list")
        self.app.flow.start_confirmed(plan, programme)
        return DONE

    def _trial(self, trials: WalkTestRun, command: RemoteCommand, now: float) -> Ack:
        step = trial_step(command, trials.view(now))
        if isinstance(step, Ack):
            return step
        app = self.app
        if step is TrialStep.GO:
            app.walk_test_command(WalkTestCommand.GO)
            self._phone_go = (trials, trials.trials.trial, trials.trials.go_at)
            return DONE
        assert isinstance(command, TrialStop)
        by_phone = self._phone_go == (trials, trials.trials.trial, trials.trials.go_at)
        seconds = phone_trial_s(command, now - trials.trials.go_at, started_by_phone=by_phone)
        app.walk_test_command(WalkTestCommand.STOP_CLOCK, seconds=seconds)
        return DONE

    # ------------------------------------------------------------------ switching

    def _made_server(self) -> RemoteServer:
        if self.server is None:
            # Here, not at the top: aiohttp is loaded only once the remote is asked for.
            from retrowalk.remote.server import RemoteServer

            self.server = RemoteServer(
                clock=self.app.services.clock,
                on_connected=self._connected,
                on_problem=self._problem,
            )
        return self.server

    async def _switch(self, listen: Listen | None) -> None:
        from retrowalk.remote.qr import LAN_WARNING
        from retrowalk.remote.server import RemoteUnavailable

        async with self._lock:
            server = self._made_server()
            if listen is None:
                await server.stop()
                self._show(PhoneLink(warning=LAN_WARNING))
                return
            self._show(PhoneLink(LinkState.STARTING, lan=listen == "lan", warning=LAN_WARNING))
            try:
                await server.start(self, listen, self.app.settings.remote.port)
            except (RemoteUnavailable, OSError) as unavailable:
                self._show(PhoneLink(problem=str(unavailable), warning=LAN_WARNING))
                return
            if not self._watching_screens:
                self._watching_screens = True
                self.app.screen_change_signal.subscribe(self.app, lambda _: self.publish())
            self._show_link()
            run = self.app.workouts.run
            if run is not None and self.app.workouts.walking:
                self.prepare_cues(run.plan)
            elif self.app.walk_test_book.run is not None:
                self.prepare_cues(None)

    async def _forget(self) -> None:
        async with self._lock:
            if self.server is not None and self.server.running:
                await self.server.forget_phones()
                self._show_link()

    def _show_link(self) -> None:
        from retrowalk.remote.qr import LAN_WARNING, phones_text, qr_text

        server = self.server
        assert server is not None
        url = server.url
        if self._code[0] != url:
            self._code = (url, qr_text(url))
        self._show(
            PhoneLink(
                LinkState.ON,
                url=url,
                code=self._code[1],
                lan=server.listen == "lan",
                phones=server.connected,
                phones_text=phones_text(server.connected),
                warning=LAN_WARNING,
            )
        )

    def _show(self, link: PhoneLink) -> None:
        self.app.phone_link = link

    def _connected(self, phones: int) -> None:
        from retrowalk.remote.qr import phones_text

        link = self.app.phone_link
        self._show(dataclasses.replace(link, phones=phones, phones_text=phones_text(phones)))

    def _problem(self, text: str) -> None:
        self.app.notify(text, title="Phone remote", severity="warning", timeout=8)


def workout_files(plan: Plan, settings: Settings, bank: SoundBank) -> set[Path]:
    """Every file a workout of `plan` may play: its schedule's, pause and resume, the
    metronome's tick (it can be turned on during the workout), and the words the finish
    sentence is joined from (it says what was walked, known only at the end)."""
    schedule = WorkoutVoice(plan, settings, None).schedule
    files = {path for cue in schedule.cues() for path in bank.files_for(cue.cue, cue.words)}
    for cue in (Cue.PAUSED, Cue.RESUMED, Cue.TICK, Cue.FINISH):
        files.update(bank.files_for(cue))
    if bank.voice and bank.folder is not None and Cue.FINISH.value not in bank.custom:
        files.update(bank.folder.glob("word-*.wav"))
    return files
