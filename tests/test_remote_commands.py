"""Every command a phone can send, over the real WebSocket, against a host on the real engine:
what it changes, what it answers, and that two hands pressing together never act twice."""

from __future__ import annotations

import pytest

from remote_support import (
    PLAN,
    BenchHost,
    another_phone,
    bench,
    connect,
    expect,
    origin_of,
    tap,
)
from retrowalk.core.engine_events import State
from retrowalk.core.walk_test import Stage
from support import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def host(clock: FakeClock) -> BenchHost:
    return BenchHost(clock)


async def test_the_greeting_carries_the_state_on_screen(host: BenchHost) -> None:
    host.run_workout()
    async with bench(host) as (client, remote, _):
        await client.get("/" + remote.keys.token)
        socket = await client.ws_connect("/ws", origin=origin_of(client))
        hello = await expect(socket, "hello")
        assert hello["state"]["screen"] == "workout"
        assert hello["state"]["band"] == "WARM UP"


async def test_pause_pauses_and_the_answer_carries_the_paused_state(host: BenchHost) -> None:
    host.run_workout()
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "pause")
        assert (ack["ok"], ack["changed"]) == (True, True)
        assert ack["state"]["paused"] is True
        assert ack["state"]["band"] == "PAUSED"
        assert host.paused


async def test_pause_when_paused_is_ok_and_changes_nothing(host: BenchHost) -> None:
    host.run_workout().pause(host.clock())
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "pause")
        assert (ack["ok"], ack["changed"]) == (True, False)
        assert host.steps == []


async def test_resume_resumes_a_paused_workout(host: BenchHost, clock: FakeClock) -> None:
    host.run_workout().pause(clock())
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "resume")
        assert ack["changed"] is True
        assert host.running
        assert ack["state"]["ends"] is not None


async def test_resume_when_running_changes_nothing(host: BenchHost) -> None:
    host.run_workout()
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "resume")
        assert (ack["ok"], ack["changed"]) == (True, False)
        assert host.running


async def test_skip_names_the_segment_and_moves_to_the_next(host: BenchHost) -> None:
    host.run_workout()
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "skip", segment=0)
        assert ack["changed"] is True
        assert ack["state"]["segment"] == 1
        assert ack["state"]["round"] == "Round 1 of 5"


async def test_a_stale_skip_does_nothing(host: BenchHost) -> None:
    host.run_workout()
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        await tap(socket, "skip", segment=0)
        ack = await tap(socket, "skip", segment=0)
        assert (ack["ok"], ack["changed"]) == (True, False)
        assert ack["state"]["segment"] == 1


async def test_stop_stops_and_saves_once(host: BenchHost, clock: FakeClock) -> None:
    host.run_workout()
    clock.advance(42.0)
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "stop")
        assert ack["changed"] is True
        assert ack["state"] == {"screen": "elsewhere", "showing": "the summary"}
        assert [round(saved.forward_s) for saved in host.saved] == [42]
        again = await tap(socket, "stop")
        assert again["ok"] is False
        assert len(host.saved) == 1


async def test_start_with_the_checklist_confirmed_starts_the_plan(host: BenchHost) -> None:
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "start", choice=f"plan:{PLAN.name}", safety=True)
        assert ack["changed"] is True
        assert ack["state"]["screen"] == "workout"
        assert host.steps == [f"start plan:{PLAN.name}"]


async def test_start_without_the_checklist_confirmed_is_refused(host: BenchHost) -> None:
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "start", choice=f"plan:{PLAN.name}")
        assert ack["ok"] is False
        assert ack["reason"] == "Confirm the safety checklist first"
        assert host.screen == "home"


async def test_start_needs_no_checklist_when_the_check_is_off(clock: FakeClock) -> None:
    host = BenchHost(clock, safety=())
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "start", choice=f"plan:{PLAN.name}")
        assert ack["changed"] is True


async def test_start_where_the_home_entry_would_not_says_why(host: BenchHost) -> None:
    host.why_not[f"plan:{PLAN.name}"] = "A rest day: the programme's next session is tomorrow"
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        hello_plan = host.home().plans[0]
        assert not hello_plan.allowed
        ack = await tap(socket, "start", choice=f"plan:{PLAN.name}", safety=True)
        assert ack["ok"] is False
        assert ack["reason"] == "A rest day: the programme's next session is tomorrow"
        assert host.screen == "home"


async def test_start_of_something_not_on_the_list_is_refused(host: BenchHost) -> None:
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "start", choice="plan:Gone", safety=True)
        assert (ack["ok"], ack["reason"]) == (False, "That is no longer on the list")


async def test_workout_commands_on_another_screen_say_continue_on_the_computer(
    host: BenchHost,
) -> None:
    host.screen = "summary"
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "pause")
        assert (ack["ok"], ack["reason"]) == (False, "Continue on the computer")


async def test_go_and_stop_time_a_trial_by_the_phones_own_measure(
    host: BenchHost, clock: FakeClock
) -> None:
    host.take_walk_test()
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        ack = await tap(socket, "go")
        assert ack["state"]["stage"] == "timing"
        assert ack["state"]["started"] is not None
        clock.advance(5.4)  # the app's clock holds the network's delays
        ack = await tap(socket, "trial_stop", elapsed_ms=5012.4)
        assert ack["state"]["stage"] == "stopped"
        assert ack["state"]["seconds"] == 5.01
        assert host.stopped_by == [(5.01, "phone")]


async def test_a_stop_without_the_phones_measure_uses_the_apps_clock(
    host: BenchHost, clock: FakeClock
) -> None:
    host.take_walk_test()
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        await tap(socket, "go")
        clock.advance(4.2)
        ack = await tap(socket, "trial_stop")
        assert ack["state"]["seconds"] == 4.2


async def test_a_second_go_while_timing_changes_nothing(host: BenchHost) -> None:
    trials = host.take_walk_test()
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        await tap(socket, "go")
        ack = await tap(socket, "go")
        assert (ack["ok"], ack["changed"]) == (True, False)
        assert trials.stage is Stage.TIMING
        assert host.steps == ["trial go"]


async def test_an_unknown_or_malformed_command_is_refused_with_a_reason(host: BenchHost) -> None:
    host.run_workout()
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        assert (await tap(socket, "dance"))["reason"] == "unknown command"
        assert (await tap(socket, "skip", segment="1"))["ok"] is False
        assert (await tap(socket, "trial_stop", elapsed_ms=-3))["ok"] is False
        assert host.steps == []


async def test_a_burst_of_taps_beyond_the_allowance_never_reaches_the_app(
    host: BenchHost,
) -> None:
    host.run_workout()
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        answers = [await tap(socket, "pause") for _ in range(12)]
        assert [a["reason"] for a in answers].count("Too many taps: wait a moment") == 4
        assert host.steps == ["pause"]


# ---------------------------------------------------------------------- two hands at once


async def test_pause_from_two_phones_pauses_once(host: BenchHost) -> None:
    host.run_workout()
    async with bench(host) as (client, remote, _), another_phone(client) as other:
        first, second = await connect(client, remote), await connect(other, remote)
        await first.send_json({"id": 1, "cmd": "pause"})
        await second.send_json({"id": 1, "cmd": "pause"})
        answers = [await expect(first, "ack"), await expect(second, "ack")]
        assert sorted(a["changed"] for a in answers) == [False, True]
        assert host.steps == ["pause"]
        assert host.paused


async def test_two_skips_of_the_same_segment_skip_once(host: BenchHost) -> None:
    host.run_workout()
    async with bench(host) as (client, remote, _), another_phone(client) as other:
        first, second = await connect(client, remote), await connect(other, remote)
        await first.send_json({"id": 1, "cmd": "skip", "segment": 0})
        await second.send_json({"id": 1, "cmd": "skip", "segment": 0})
        await expect(first, "ack")
        await expect(second, "ack")
        assert host.steps == ["skip"]
        assert host.workout is not None and host.workout.index == 1


async def test_a_change_made_by_one_phone_is_pushed_to_the_other(host: BenchHost) -> None:
    host.run_workout()
    async with bench(host) as (client, remote, _), another_phone(client) as other:
        first, second = await connect(client, remote), await connect(other, remote)
        await tap(first, "pause")
        pushed = await expect(second, "state")
        assert pushed["state"]["paused"] is True


async def test_the_page_closing_mid_workout_changes_nothing(
    host: BenchHost, clock: FakeClock
) -> None:
    workout = host.run_workout()
    async with bench(host) as (client, remote, _):
        socket = await connect(client, remote)
        clock.advance(30.0)
        await socket.close()
        await client.get("/alive")  # a round trip: the server has seen the close
        assert remote.connected == 0
        assert workout.state is State.RUNNING
        assert host.steps == []
        assert workout.view(clock()).remaining_s == 30.0


async def test_a_phone_that_reconnects_is_greeted_with_the_state_as_it_is_now(
    host: BenchHost, clock: FakeClock
) -> None:
    host.run_workout()
    async with bench(host) as (client, remote, _), another_phone(client) as other:
        socket = await connect(client, remote)
        await socket.close()
        await tap(await connect(other, remote), "skip", segment=0)
        again = await client.ws_connect("/ws", origin=origin_of(client))
        hello = await expect(again, "hello")
        assert hello["state"]["segment"] == 1
        assert (await tap(again, "pause"))["changed"] is True
