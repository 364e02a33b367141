"""The subcommands of the method's smaller exercises: `appreciate`, `attachment`, `remind` and
`history`, once their settings are known."""
from __future__ import annotations

import argparse
from datetime import date, datetime

from . import history as kept
from . import reminders
from .content import load_pack
from .errors import PackError
from .exercises.appreciate import Appreciate, AppreciatePlan
from .exercises.attachment import Attachment, AttachmentPlan
from .exercises.remind import Remind, RemindPlan
from .settings import Settings
from .store import Unreadable
from .subcommands import partner_names, run_session
from .terminal import TERMINAL
from .text import printable

RECENT = 20  # the sessions listed one by one, newest first


def appreciate(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    plan = AppreciatePlan.from_pack(partner_names(settings, pack), pack)
    run_session(args, settings, Appreciate(plan), practice="appreciate")


def attachment(args: argparse.Namespace, settings: Settings) -> None:
    run_session(args, settings, Attachment(AttachmentPlan.from_pack(load_pack(settings.lang))), partners=1,
                practice="attachment")


def remind(args: argparse.Namespace, settings: Settings) -> None:
    """Write the calendar file and print where; then the spoken part, and a timer on a yes."""
    pack = load_pack(settings.lang)
    schedule = reminders.parse(args.when)
    path = settings.data_dir / f"checkin-{schedule.kind}.ics"
    minutes = settings.daily_minutes if schedule.kind == "daily" else settings.weekly_minutes
    summary = pack.text("remind.summary_daily" if schedule.kind == "daily" else "remind.summary_weekly")
    text = reminders.calendar(schedule, minutes, summary, pack.text("remind.description"),
                              reminders.calendar_uid(path), datetime.now())
    try:
        reminders.write_atomically(path, text)
    except OSError:
        raise PackError("remind.not_written", path=path) from None
    TERMINAL.line(printable(pack.text("remind.file", path=path)))
    day = "" if schedule.weekday is None else pack.values["remind.days"][schedule.weekday][0]
    plan = RemindPlan(schedule.kind, schedule.at.strftime("%H:%M"), day, schedule.late, reminders.timers_available())
    flow = Remind(plan)

    def set_timer(session) -> None:
        if not flow.wants_timer:
            return
        if reminders.install_timer(schedule, settings.lang, pack.text("remind.spoken"), summary):
            session.conductor.say("remind.timer_set")
            TERMINAL.line(pack.text("remind.timer_remove", name=reminders.unit_name(schedule)))
        else:
            session.conductor.say("remind.timer_failed")

    run_session(args, settings, flow, partners=1, after=set_timer)


def show_history(args: argparse.Namespace, settings: Settings) -> None:
    pack = load_pack(settings.lang)
    try:
        sessions = kept.load(settings.state_dir)
    except Unreadable as problem:  # left as it is: the next session sets it aside and starts anew
        raise PackError("history.unreadable", path=problem.path) from problem
    if not sessions:
        TERMINAL.line(pack.text("history.empty"))
        return
    names = dict(zip(kept.EXERCISES, pack.items("history.names")))
    TERMINAL.line(pack.text("history.title"))
    for session in reversed(sessions[-RECENT:]):
        outcome = pack.text("history.completed" if session.completed else "history.stopped")
        TERMINAL.line(f"  {session.at.strftime('%Y-%m-%d %H:%M')}  {names[session.exercise]}: {outcome}")
    today = date.today()
    streaks = [(name, kept.streak(sessions, name, today)) for name in kept.EXERCISES]
    streaks = [(name, count) for name, count in streaks if count]
    if streaks:
        TERMINAL.line(pack.text("history.streaks"))
    for name, count in streaks:
        key = "history.days" if name == kept.DAILY else "history.weeks"
        TERMINAL.line("  " + pack.text(key, exercise=names[name], count=count))
    TERMINAL.line(pack.text("history.chart", weeks=kept.CHART_WEEKS))
    for line in kept.chart(kept.weeks(sessions, today)):
        TERMINAL.line("  " + line)
    TERMINAL.line(pack.text("history.legend"))

