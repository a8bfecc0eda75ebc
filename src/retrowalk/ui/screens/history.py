"""The history screen: streaks, a year's calendar, weekly minutes, knee pain, every session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Sparkline, Static, TabbedContent, TabPane

from retrowalk.core import history_stats
from retrowalk.core.coach.overview import programme_weeks
from retrowalk.core.history_stats import calendar_weeks
from retrowalk.core.plans import format_duration
from retrowalk.core.sessions import Session
from retrowalk.core.streaks import StreakSummary
from retrowalk.ui.app import RetrowalkApp
from retrowalk.ui.key_actions import bindings
from retrowalk.ui.palette import BACKWARD_TEXT
from retrowalk.ui.programme_words import level_words, week_calendar
from retrowalk.ui.screens.confirm import ConfirmScreen
from retrowalk.ui.screens.session import SessionScreen
from retrowalk.ui.widgets.charts import Heatmap, WeeklyBars
from retrowalk.ui.widgets.decisions import DecisionList
from retrowalk.ui.widgets.keyhints import KeyHints
from retrowalk.ui.widgets.session_table import SessionTable
from retrowalk.ui.widgets.walk_trend import WalkTrend
from retrowalk.ui.words import user_text

SortKey = Callable[[Session], Any]
COLUMNS: tuple[tuple[str, str, SortKey], ...] = (
    ("date", "Date", lambda s: s.started_at),
    ("plan", "Plan", lambda s: s.plan.casefold()),
    ("backward", "Backward", lambda s: s.backward_s),
    ("forward", "Forward", lambda s: s.forward_s),
    ("status", "Status", lambda s: s.status),
    ("effort", "Effort", lambda s: -1 if s.rpe is None else s.rpe),
    ("knee", "Knee", lambda s: -1 if s.knee_pain is None else s.knee_pain),
    ("note", "Note", lambda s: (s.note or "").casefold()),
)
DESCENDING_FIRST = frozenset({"date", "backward", "forward", "effort", "knee"})
"""Columns that sort the natural way for them first: latest, longest, highest at the top."""


def streak_panel(summary: StreakSummary) -> Content:
    def line(label: str, value: str, best: str = "", style: str = "bold") -> Content:
        return Content.assemble((f"{label:<14}", "dim"), (value, style), (best, "dim"))

    days = "day" if summary.current_days == 1 else "days"
    weeks = "week" if summary.current_weeks == 1 else "weeks"
    lines = [
        Content.styled("Streaks", "bold"),
        line(
            "Days in a row",
            f"{summary.current_days} {days}",
            f"  best {summary.longest_days}",
            "bold $success" if summary.current_days else "bold",
        ),
        line(
            "Weeks at goal",
            f"{summary.current_weeks} {weeks}",
            f"  best {summary.longest_weeks}",
            "bold $success" if summary.current_weeks else "bold",
        ),
        line(
            "This week",
            f"{summary.this_week_sessions} of {summary.weekly_goal}",
            "  goal met" if summary.week_goal_met else "",
            "bold $success" if summary.week_goal_met else "bold",
        ),
    ]
    if summary.alive_until_midnight:
        lines.append(Content.styled("Walk today to keep your streak", "bold $warning"))
    else:
        done = "  backward, active" if summary.active_today else "  backward"
        lines.append(line("Today", format_duration(summary.today_backward_s), done))
    return Content("\n").join(lines)


def totals_line(totals: history_stats.Totals) -> Content:
    parts: list[Content | str | tuple[str, str]] = [
        (f"{totals.sessions}", "bold"),
        f" {'session' if totals.sessions == 1 else 'sessions'} ({totals.completed} completed) · ",
        (format_duration(totals.backward_s), f"bold {BACKWARD_TEXT}"),
        " backward, ",
        (format_duration(totals.active_s), "bold"),
        " active",
    ]
    if totals.kcal is not None:
        # A sum of estimates, written short: a year's totals fit 80 columns on one line.
        parts += [", ", (f"{totals.kcal:,.0f} kcal", "bold")]
    return Content.assemble(*parts)


class HistoryScreen(Screen[None]):
    app: RetrowalkApp

    CSS_PATH = "history.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("history")

    def __init__(self) -> None:
        super().__init__()
        self.sort_column = "date"
        self.sort_reverse = True
        self._table_filled = False
        self._deleted: Session | None = None
        """The session deleted last, until `u` puts it back or the screen closes."""

    def compose(self) -> ComposeResult:
        yield Static(id="history-title")
        with TabbedContent(initial="overview", id="history-tabs"):
            with TabPane("Overview", id="overview"), VerticalScroll():
                with Horizontal(id="history-top"):
                    yield Static(id="streak-panel")
                    yield WeeklyBars(id="weekly")
                yield Heatmap(id="heatmap")
                with Horizontal(id="history-bottom"):
                    with Vertical(id="knee-panel"):
                        yield Static(id="knee-title")
                        yield Sparkline([], id="knee-line")
                    yield WalkTrend(id="walk-trend")
            with TabPane("Sessions", id="sessions"):
                yield SessionTable(id="session-table")
            with TabPane("Programme", id="programme"), VerticalScroll():
                yield Static(id="programme-head")
                yield Static(id="programme-weeks")
                yield Static(
                    Content.styled("Decisions, newest first", "bold"), id="decisions-title"
                )
                yield DecisionList(id="programme-decisions")
        yield KeyHints()

    def on_mount(self) -> None:
        self.watch(self.app, "sessions", self._sessions_changed)
        self.watch(self.app, "walk_tests", self._show_walk_tests)
        self.watch(self.app, "enrolment", self._show_programme)

    def _show_walk_tests(self) -> None:
        """The balance check's trend beside the knee pain, or why walk_tests.toml cannot be
        read; nothing until it has been."""
        trend = self.query_one("#walk-trend", WalkTrend)
        problem = self.app.walk_tests_problem
        trend.display = self.app.walk_tests is not None or problem is not None
        if problem is not None:
            trend.show_problem(problem.text)
        else:
            trend.show(self.app.walk_tests or ())

    def _sessions_changed(self) -> None:
        self._table_filled = False
        self._show()

    # -------------------------------------------------------------------- drawing

    def _show(self) -> None:
        app = self.app
        title = self.query_one("#history-title", Static)
        if app.history_problem is not None:
            title.update(
                Content.assemble(
                    (
                        "history.toml cannot be read; nothing is shown or changed until it is "
                        "fixed.\n",
                        "bold $error",
                    ),
                    user_text(app.history_problem.text, multiline=True),
                )
            )
            return
        sessions = app.sessions
        if sessions is None:
            title.update(Content.styled("Reading history…", "dim"))
            return
        today = app.today()
        totals = history_stats.totals(sessions)
        title.update(
            totals_line(totals)
            if sessions
            else Content.styled("No sessions yet: your first workout starts the story.", "bold")
        )
        summary = app.streak()
        assert summary is not None
        self.query_one("#streak-panel", Static).update(streak_panel(summary))
        self.query_one("#weekly", WeeklyBars).show(
            history_stats.weekly_backward(sessions, today, weeks=12)
        )
        first = calendar_weeks(today, Heatmap.WEEKS)[0]
        self.query_one("#heatmap", Heatmap).show(
            history_stats.day_totals(sessions, first, today), today
        )
        self._show_knee(sessions)
        self._show_programme()
        if self.query_one(TabbedContent).active == "sessions":
            self._fill_table()

    def _show_programme(self) -> None:
        """The programme's weeks as a small calendar and its decisions, newest first."""
        result = self.app.coaching.standing()
        head = self.query_one("#programme-head", Static)
        for part in ("#programme-weeks", "#decisions-title", "#programme-decisions"):
            self.query_one(part).display = result is not None
        if result is None:
            trouble = self.app.coaching.trouble(self.app.plans_problem is not None)
            if trouble is not None:
                head.update(user_text(trouble, "$warning", multiline=True))
            elif self.app.enrolment is None:
                head.update(
                    Content.styled(
                        "You follow no programme. On the home screen, p shows the programmes.",
                        "dim",
                    )
                )
            else:
                head.update(Content.styled("Reading history…", "dim"))
            return
        state = " · paused" if result.paused else " · over" if result.ended else ""
        head.update(
            Content.assemble(
                user_text(result.programme.name, "bold"),
                f" · since {result.enrolment.started_on:%a %d %b %Y} · {level_words(result)}",
                (state, "bold $warning"),
            )
        )
        sessions = self.app.sessions or ()
        self.query_one("#programme-weeks", Static).update(
            week_calendar(programme_weeks(result, sessions))
        )
        self.query_one(DecisionList).show(result.decisions)

    def _show_knee(self, sessions: tuple[Session, ...]) -> None:
        trend = history_stats.knee_trend(sessions)
        title = self.query_one("#knee-title", Static)
        line = self.query_one("#knee-line", Sparkline)
        line.display = len(trend) >= 2
        if not trend:
            title.update(
                Content.styled(
                    "Knee pain: no ratings yet. Rate it 0-10 after a workout to see a trend.",
                    "dim",
                )
            )
            return
        values = [pain for _, pain in trend]
        ends = history_stats.first_and_latest(values)
        if ends is None:
            title.update(
                Content.assemble(
                    ("Knee pain", "bold"),
                    ("  1 rating so far, 0 none to 10 worst:  ", "dim"),
                    (str(values[0]), "bold"),
                    ("  (a trend shows from the second)", "dim"),
                )
            )
        else:
            early, late = ends
            change = "lower" if late < early else "higher" if late > early else "the same"
            title.update(
                Content.assemble(
                    ("Knee pain", "bold"),
                    (f"  last {len(values)} ratings, 0 none to 10 worst:  ", "dim"),
                    (f"{early:.1f}", "bold"),
                    " at first, ",
                    (f"{late:.1f}", "bold $success" if late < early else "bold"),
                    f" lately ({change})",
                )
            )
        line.data = [float(v) for v in values]

    def _fill_table(self) -> None:
        if self._table_filled or self.app.sessions is None:
            return
        key = next(k for name, _, k in COLUMNS if name == self.sort_column)
        table = self.query_one("#session-table", SessionTable)
        table.sort_column, table.sort_reverse = self.sort_column, self.sort_reverse
        table.show(
            sorted(self.app.sessions, key=key, reverse=self.sort_reverse), keep=table.current
        )
        self._table_filled = True

    # -------------------------------------------------------------------- events

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "sessions":
            self._fill_table()
            self.query_one("#session-table", SessionTable).focus()

    @on(SessionTable.HeaderClicked, "#session-table")
    def _header_clicked(self, event: SessionTable.HeaderClicked) -> None:
        column = event.column
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, column in DESCENDING_FIRST
        self._resort()

    @on(SessionTable.Selected, "#session-table")
    def _row_selected(self, event: SessionTable.Selected) -> None:
        self.app.push_screen(SessionScreen(event.session), self._after_details)

    def _after_details(self, delete: bool | None) -> None:
        if delete:
            self.action_delete()

    # ------------------------------------------------------------------- actions

    def action_back(self) -> None:
        self.dismiss()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "sessions":
            self._fill_table()
            self.query_one("#session-table", SessionTable).focus()

    def action_sort(self) -> None:
        names = [name for name, _, _ in COLUMNS]
        self.sort_column = names[(names.index(self.sort_column) + 1) % len(names)]
        self.sort_reverse = self.sort_column in DESCENDING_FIRST
        self._resort()
        self.notify(f"Sorted by {self.sort_column}", timeout=2)

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._resort()

    def _resort(self) -> None:
        self.action_show_tab("sessions")
        self._table_filled = False
        self._fill_table()

    def action_delete(self) -> None:
        if self.query_one(TabbedContent).active != "sessions":
            return
        session = self.query_one("#session-table", SessionTable).current
        if session is None:
            return

        def answered(delete: bool | None) -> None:
            if not delete:
                return
            problem = self.app.history.delete(session.id)
            if problem is not None:
                self.notify(problem.text, severity="error", timeout=10)
            else:
                self._deleted = session
                self.refresh_bindings()
                self.notify("Session deleted. Press u to undo.")

        self.app.push_screen(
            ConfirmScreen(
                Content.assemble(
                    "Delete the session of ",
                    (f"{session.started_at:%a %d %b %Y %H:%M}", "bold"),
                    " (",
                    user_text(session.plan),
                    ")?",
                ),
                "Streaks and totals are recounted without it.",
                yes="Delete",
                no="Keep",
            ),
            answered,
        )

    def action_undo(self) -> None:
        session = self._deleted
        if session is None:
            return
        problem = self.app.history.restore(session)
        if problem is not None:
            self.notify(problem.text, severity="error", timeout=10)
            return
        self._deleted = None
        self.refresh_bindings()
        self.notify("Session restored.", timeout=3)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self._deleted is not None
        return True
