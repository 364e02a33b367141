"""Appreciation: three concrete things each, counted one at a time; a "but" gets one hint and may be
said again; a six-second hug timed on the clock, ending with a chime."""
import json
import os
import subprocess
import sys
import threading

from assistant.content import load_pack
from assistant.events import Answer, Chime, Command, NoAnswer, StartTimer, TimerDone
from assistant.exercises.appreciate import HUG_SECONDS, THINGS, Appreciate, AppreciatePlan
from assistant.exercises.resume import resumable
from assistant.pause_store import resume_point
from conftest import run_main
from fakes import ended, keys

NAMES = ("Anna", "Ben")


def flow(lang="en"):
    exercise = Appreciate(AppreciatePlan.from_pack(NAMES, load_pack(lang)))
    exercise.start()
    return exercise


def assistant(*args, stdin=""):
    """`assistant ARGS`, its main() in this process (conftest.run_main)."""
    return run_main(*args, stdin=stdin)


def test_each_partner_names_three_counted_one_at_a_time_then_the_hug():
    exercise = flow()
    said = []
    for index in range(2 * THINGS):
        said.append(keys(exercise.handle(Answer(f"you made breakfast {index}"))))
    assert said[0] == ["appreciate.counted[0]", "appreciate.another"]
    assert said[2] == ["appreciate.counted[2]", "appreciate.thanks", "appreciate.switch", "appreciate.first"]
    assert said[-1][:4] == ["appreciate.counted[2]", "appreciate.thanks", "appreciate.named",
                            "appreciate.named"]
    hug = exercise.handle(Answer("never reached"))  # ignored: the hug is on
    assert hug == [] and exercise.state == "hugging"
    counted = [len(load_pack(lang).items("appreciate.counted")) for lang in ("en", "nl")]
    assert counted == [THINGS, THINGS]


def test_the_hug_is_six_seconds_on_the_clock_and_ends_with_a_chime():
    exercise = flow()
    for _ in range(2 * THINGS - 1):
        exercise.handle(Answer("you made coffee"))
    last = exercise.handle(Answer("you made coffee"))
    assert StartTimer("hug", HUG_SECONDS) in last and HUG_SECONDS == 6
    assert next(a for a in last if getattr(a, "key", "") == "appreciate.hug").values == {"seconds": 6}
    done = exercise.handle(TimerDone("hug"))
    assert isinstance(done[0], Chime) and keys(done) == ["appreciate.closing"] and ended(done)
    assert exercise.completed


def test_a_but_gets_one_hint_and_what_is_said_again_counts_even_with_a_but():
    exercise = flow()
    assert keys(exercise.handle(Answer("you cooked, but it was late"))) == ["appreciate.but_hint"]
    assert exercise.state == "rephrasing" and exercise.counts == [0, 0]
    assert keys(exercise.handle(Answer("you cooked but I still loved it")))[0] == "appreciate.counted[0]"
    assert exercise.counts == [1, 0]  # no second hint: said again, it counts


def test_but_also_is_no_but_and_dutch_maar_as_a_softener_is_none_either():
    assert keys(flow().handle(Answer("not only did you cook but also clean up")))[0] == "appreciate.counted[0]"
    dutch = flow("nl")
    assert keys(dutch.handle(Answer("je staat altijd maar weer voor me klaar")))[0] == "appreciate.counted[0]"
    assert keys(dutch.handle(Answer("je kookte maar het was laat"))) == ["appreciate.but_hint"]


def test_skips_and_silences_are_not_counted_and_the_count_is_said_with_the_right_plural():
    exercise = flow()
    exercise.handle(Command("next"))  # Anna skips one
    exercise.handle(NoAnswer())
    exercise.handle(NoAnswer())  # and lets one go
    exercise.handle(Answer("you fixed my bike"))
    for _ in range(THINGS):
        exercise.handle(Command("next"))
    assert exercise.counts == [1, 0] and exercise.state == "hugging"
    pack = load_pack("en")
    assert pack.text("appreciate.named", name="Anna", count=1) == "Anna named 1 thing."
    assert pack.text("appreciate.named", name="Anna", count=2) == "Anna named 2 things."
    assert load_pack("nl").text("appreciate.named", name="Ben", count=1) == "Ben noemde 1 ding."
    assert load_pack("nl").text("appreciate.named", name="Ben", count=2) == "Ben noemde 2 dingen."


def test_after_a_restart_the_hug_or_the_open_question_comes_back_without_any_words():
    exercise = flow()
    exercise.handle(Answer("you cooked but late"))
    snapshot = exercise.snapshot()
    assert "cooked" not in json.dumps(snapshot)
    again, _ = resumable(resume_point(snapshot, {}), load_pack("en"))
    assert again.state == "asking" and keys(again.resume()) == ["appreciate.first"]


def run_until(args, lines, last_line, timeout=40):
    """The session with its input kept open (the hug waits on the clock), until `last_line` shows."""
    process = subprocess.Popen([sys.executable, "-m", "assistant", *args], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    watchdog = threading.Timer(timeout, process.kill)  # a line that never comes must not hang the test
    watchdog.start()
    process.stdin.write(lines)
    process.stdin.flush()
    shown = []
    while True:
        line = process.stdout.readline()
        if not line:
            break
        shown.append(line.rstrip("\n"))
        if line.startswith(last_line):
            break
    process.stdin.close()
    process.wait(timeout=30)
    watchdog.cancel()
    return process.returncode, shown


def test_the_whole_exercise_in_english_through_the_cli_with_the_hug_timed_from_the_log(tmp_path):
    log = tmp_path / "session.jsonl"
    lines = ("you cooked dinner on monday\nyou listened, but only after I asked twice\nyou listened when I was tired\n"
             "next\nyou walked the dog\nnext\nyou called my mother\n")
    code, shown = run_until(["appreciate", "--text", "--quiet", "--names", "Anna,Ben", "--log", str(log)], lines,
                            "Guide: Thank you both.")
    assert code == 0
    assert shown.count("Guide: That's one.") == 2 and shown.count("Guide: That's two.") == 2
    assert "Guide: That's three." not in shown
    assert shown.count("Guide: Anna, I heard a but in there. A but erases the compliment before it. "
                       "Would you say it again, without the but?") == 1
    assert "Guide: Anna named 2 things." in shown and "Guide: Ben named 2 things." in shown
    records = [json.loads(line) for line in log.read_text().splitlines()]
    started = next(r["t"] for r in records if r["kind"] == "timer" and r["name"] == "hug" and r["action"] == "start")
    chimed = next(r["t"] for r in records if r["kind"] == "chime")
    assert 6.0 <= chimed - started < 8.0


def test_the_whole_exercise_in_dutch_through_the_cli():
    lines = "je kookte maandag\nje luisterde naar me\nje bracht koffie\nje belde mijn moeder\nje lachte\nje bleef\n"
    code, shown = run_until(["appreciate", "--text", "--quiet", "--lang", "nl", "--names", "Anna,Ben"], lines,
                            "Gids: Dank jullie wel.")
    assert code == 0
    assert shown.count("Gids: Dat zijn er drie.") == 2 and "Gids: En nu andersom." in shown
    assert "Gids: Anna noemde 3 dingen." in shown
    assert any(line.startswith("Gids: Sluit af met een knuffel: houd elkaar minstens 6 seconden vast.")
               for line in shown)


def test_the_safe_word_pauses_the_exercise_and_the_safety_stop_ends_it(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('safe_word = "crocodile"\n')
    run = assistant("appreciate", "--text", "--quiet", "--config", str(config), "--pause-minutes", "0.02",
                    stdin="you cooked\nwell crocodile\n")
    assert "Guide: Let's pause here. No last word." in run.stdout
    stop = assistant("appreciate", "--text", "--quiet", "--country", "nl",
                     stdin="you cooked\nI appreciate that he only hit me once this week\n")
    assert stop.returncode == 0 and "Veilig Thuis" in stop.stdout and "Guide: That's two." not in stop.stdout
