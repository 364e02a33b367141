"""Every setting, from the config file or a flag, is checked: a value that doesn't fit is refused
with one calm sentence in the person's language and exit code 2, never ignored, never a traceback.
Each row runs the real command's main() in this process (conftest.run_main; the exit code of a
real process is tested in test_cli.py), in the private folders conftest.py sets up."""
import re
import shutil
import stat

import pytest

from assistant.content import load_pack
from assistant.settings import Settings, load_settings
from conftest import run_main

FOLDER = "a folder"  # the config path is a folder
MISSING = "missing"  # --config names a file that isn't there
HAS_ESPEAK = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng lists the voices")

# Words of the English sentences that have no place in a Dutch one.
ENGLISH = {"the", "must", "be", "between", "and", "than", "most", "has", "wrong", "there", "setting", "called",
           "file", "does", "exist", "folder", "valid", "line", "column", "full", "path", "start", "with", "voice",
           "lists", "ones", "whole", "number", "word", "words", "one", "everyday", "steer", "sounds", "like", "empty",
           "leave", "out", "until", "choose", "value", "given", "command", "used", "fix", "remove", "defaults",
           "run", "again", "fits", "not", "it", "to", "can't", "settings", "two", "separated", "for",
           "example", "no", "there's", "language", "pack", "sets", "time", "fronts"}
IDENTIFIERS = set(Settings.__dataclass_fields__) | {"espeak-ng", "TOML", "UTF-8", "assistant", "safeword"}


def row(config, args, lang, frame, detail="", *, marks=(), id):
    return pytest.param(config, args, lang, frame, detail, marks=marks, id=id)


REFUSED = [
    # numbers in the config: not finite, out of range, of the wrong kind
    row("pause_minutes = nan", [], "en", "bad_config",
        "pause_minutes must be more than 0 and at most 1440, not nan", id="config-pause-nan"),
    row("pause_minutes = inf", [], "en", "bad_config",
        "pause_minutes must be more than 0 and at most 1440, not inf", id="config-pause-inf"),
    row("pause_minutes = -inf", [], "en", "bad_config",
        "pause_minutes must be more than 0 and at most 1440, not -inf", id="config-pause-minus-inf"),
    row("pause_minutes = 1441", [], "en", "bad_config",
        "pause_minutes must be more than 0 and at most 1440, not 1441", id="config-pause-over-a-day"),
    row("daily_minutes = 1e308", [], "en", "bad_config",
        "daily_minutes must be more than 0 and at most 180, not 1e+308", id="config-daily-1e308"),
    row("daily_minutes = 0", [], "en", "bad_config",
        "daily_minutes must be more than 0 and at most 180, not 0", id="config-daily-zero"),
    row("no_answer_seconds = -1", [], "en", "bad_config",
        "no_answer_seconds must be more than 0 and at most 600, not -1", id="config-no-answer-negative"),
    row('end_silence_seconds = "ten"', [], "en", "bad_config",
        "end_silence_seconds = 'ten' has the wrong type", id="config-end-silence-text"),
    row("mirror_turn_minutes = 1e308", [], "en", "bad_config",
        "mirror_turn_minutes must be more than 0 and at most 30, not 1e+308", id="config-turn-1e308"),
    row("weekly_minutes = 29", [], "en", "bad_config",
        "weekly_minutes must be between 30 and 45, not 29", id="config-weekly-29"),
    row("weekly_minutes = nan", [], "en", "bad_config",
        "weekly_minutes must be between 30 and 45, not nan", id="config-weekly-nan"),
    row("voice_rate = 1e9", [], "en", "bad_config",
        "voice_rate must be between 80 and 450, not 1000000000", id="config-voice-rate-1e9"),
    row("voice_rate = inf", [], "en", "bad_config",
        "voice_rate must be between 80 and 450, not inf", id="config-voice-rate-inf"),
    row("voice_rate = 170.5", [], "en", "bad_config",
        "voice_rate must be a whole number, not 170.5", id="config-voice-rate-fraction"),
    row("safe_word_partials = 0", [], "en", "bad_config",
        "safe_word_partials must be between 1 and 10, not 0", id="config-partials-zero"),
    row("safe_word_partials = true", [], "en", "bad_config",
        "safe_word_partials = True has the wrong type", id="config-partials-bool"),
    row("safe_word_confidence = 1.5", [], "en", "bad_config",
        "safe_word_confidence must be between 0 and 1, not 1.5", id="config-confidence-1.5"),
    row("safe_word_confidence = nan", [], "en", "bad_config",
        "safe_word_confidence must be between 0 and 1, not nan", id="config-confidence-nan"),
    row("pause_marks_minutes = [10, nan]", [], "en", "bad_config",
        "pause_marks_minutes must be more than 0 and at most 1440, not nan", id="config-pause-mark-nan"),
    row('pause_marks_minutes = "10"', [], "en", "bad_config",
        "pause_marks_minutes = '10' has the wrong type", id="config-pause-marks-text"),
    row('pause_calming = "yes"', [], "en", "bad_config",
        "pause_calming = 'yes' has the wrong type", id="config-calming-text"),
    row('lang = "nl"\npause_minutes = nan', [], "nl", "bad_config",
        "pause_minutes moet meer dan 0 en hoogstens 1440 zijn, niet nan", id="config-pause-nan-in-dutch"),
    row("voice_rate = 1e9", ["--lang", "nl"], "nl", "bad_config",
        "voice_rate moet tussen 80 en 450 liggen, niet 1000000000", id="config-voice-rate-1e9-lang-nl"),
    # the file itself
    row('colour = "blue"', [], "en", "bad_config", "there is no setting called colour", id="config-unknown-key"),
    row('colour = "blue"', ["--lang", "NL"], "nl", "bad_config", "er bestaat geen instelling colour",
        id="config-unknown-key-lang-NL"),
    row("pause_minutes = ", [], "en", "bad_config", "it is not valid TOML at line 1, column 17", id="config-bad-toml"),
    row('lang = "nl"\nnames = ["Anna" "Ben"]', [], "en", "bad_config", "it is not valid TOML at line 2, column 17",
        id="config-bad-toml-no-comma"),
    row(b'names = ["Ren\xe9", "Ben"]\n', [], "en", "bad_config", "it is not UTF-8 text", id="config-not-utf8"),
    row(b'names = ["Ren\xe9", "Ben"]\n', ["--lang", "nl"], "nl", "bad_config", "het is geen UTF-8-tekst",
        id="config-not-utf8-lang-nl"),
    row(FOLDER, [], "en", "bad_config", "it is a folder, not a file", id="config-is-a-folder"),
    row(MISSING, [], "en", "bad_config", "the file does not exist", id="config-missing"),
    # folders
    row('data_dir = "journal"', [], "en", "bad_config", "data_dir = 'journal' is not a full path, start it with / or ~",
        id="config-relative-data-dir"),
    row('models_dir = ""', [], "en", "bad_config", "models_dir = '' is not a full path, start it with / or ~",
        id="config-empty-models-dir"),
    row("cache_dir = 5", [], "en", "bad_config", "cache_dir = 5 has the wrong type", id="config-cache-dir-number"),
    row('state_dir = ["/tmp"]', [], "en", "bad_config", "state_dir = ['/tmp'] has the wrong type",
        id="config-state-dir-list"),
    # voices
    row('voice = "notavoice"', [], "en", "bad_config",
        "there is no espeak-ng voice called 'notavoice', espeak-ng --voices=en lists the ones there are",
        marks=HAS_ESPEAK, id="config-voice-unknown"),
    row('lang = "nl"\nvoice = "gmw/nl+nosuchvariant"', [], "nl", "bad_config",
        "espeak-ng heeft geen stem die 'gmw/nl+nosuchvariant' heet, espeak-ng --voices=nl laat zien welke er zijn",
        marks=HAS_ESPEAK, id="config-voice-variant-unknown-nl"),
    row("voice = 5", [], "en", "bad_config", "voice = 5 has the wrong type", id="config-voice-number"),
    # the safe word: the set-up's own check
    row('safe_word = "stop"', [], "en", "bad_config", "safe_word = 'stop' is one of the words you use to steer me",
        id="config-safe-word-stop"),
    row('safe_word = "done"', [], "en", "bad_config", "safe_word = 'done' is one of the words you use to steer me",
        id="config-safe-word-done"),
    row('safe_word = "Whatever"', [], "en", "bad_config",
        "safe_word = 'Whatever' is an everyday word that could slip out by accident", id="config-safe-word-everyday"),
    row('safe_word = "zap"', [], "en", "bad_config", "safe_word = 'zap' is very short and easily misheard",
        id="config-safe-word-short"),
    row('lang = "nl"\nsafe_word = "klaar"', [], "nl", "bad_config",
        "safe_word = 'klaar' is een van de woorden waarmee je mij bestuurt", id="config-safe-word-klaar-nl"),
    row('safe_word = "klaar"', ["--lang", "nl"], "nl", "bad_config",
        "safe_word = 'klaar' is een van de woorden waarmee je mij bestuurt", id="config-safe-word-klaar-flag-nl"),
    row('safe_word = "two words"', [], "en", "bad_config",
        "safe_word = 'two words' is more than one word, the safe word is one single word",
        id="config-safe-word-two-words"),
    row('safe_word = ""', [], "en", "bad_config",
        "safe_word is empty, leave the line out until you choose one with assistant safeword",
        id="config-safe-word-empty"),
    row('safe_word = "?!"', [], "en", "bad_config",
        "safe_word is empty, leave the line out until you choose one with assistant safeword",
        id="config-safe-word-only-marks"),
    # names and language in the config
    row('names = ["Anna"]', [], "en", "bad_config", "names needs two names, one for each partner",
        id="config-names-one"),
    row('names = ["Anna", " "]', [], "en", "bad_config", "names needs two names, one for each partner",
        id="config-names-blank"),
    row('names = "Anna,Ben"', [], "en", "bad_config", "names = 'Anna,Ben' has the wrong type",
        id="config-names-text"),
    row('lang = "fr"', [], "en", "unknown_lang", "fr", id="config-lang-unknown"),
    row("lang = 1", [], "en", "bad_config", "lang = 1 has the wrong type", id="config-lang-number"),
    # flags: given is checked, 0 and "" too
    row(None, ["--pause-minutes", "nan"], "en", "bad_flag",
        "pause_minutes must be more than 0 and at most 1440, not nan", id="flag-pause-nan"),
    row(None, ["--pause-minutes", "0"], "en", "bad_flag",
        "pause_minutes must be more than 0 and at most 1440, not 0", id="flag-pause-zero"),
    row(None, ["--pause-minutes=-inf"], "en", "bad_flag",
        "pause_minutes must be more than 0 and at most 1440, not -inf", id="flag-pause-minus-inf"),
    row(None, ["--lang", "nl", "--pause-minutes", "nan"], "nl", "bad_flag",
        "pause_minutes moet meer dan 0 en hoogstens 1440 zijn, niet nan", id="flag-pause-nan-nl"),
    row(None, ["--minutes", "0"], "en", "bad_flag",
        "daily_minutes must be more than 0 and at most 180, not 0", id="flag-minutes-zero"),
    row(None, ["--minutes", "-1"], "en", "bad_flag",
        "daily_minutes must be more than 0 and at most 180, not -1", id="flag-minutes-negative"),
    row(None, ["--minutes", "1e308"], "en", "bad_flag",
        "daily_minutes must be more than 0 and at most 180, not 1e+308", id="flag-minutes-1e308"),
    row(None, ["--minutes", "ten"], "en", "bad_flag", "daily_minutes must be a number, not 'ten'",
        id="flag-minutes-text"),
    row(None, ["--lang", "nl", "--minutes", "tien"], "nl", "bad_flag", "daily_minutes moet een getal zijn, niet 'tien'",
        id="flag-minutes-text-nl"),
    row(None, ["weekly", "--minutes", "inf"], "en", "bad_flag", "weekly_minutes must be between 30 and 45, not inf",
        id="flag-weekly-inf"),
    row(None, ["fronts", "--minutes", "5"], "en", "bad_flag",
        "--minutes sets the time of the daily or weekly check-in, the reflection on the four fronts has no time limit",
        id="flag-fronts-has-no-timebox"),
    row(None, ["mirror", "--turn-minutes", "nan"], "en", "bad_flag",
        "mirror_turn_minutes must be more than 0 and at most 30, not nan", id="flag-turn-minutes-nan"),
    row(None, ["--names", ""], "en", "bad_names", id="flag-names-empty"),
    row(None, ["--names", "Anna"], "en", "bad_names", id="flag-names-one"),
    row(None, ["--names", "Anna,"], "en", "bad_names", id="flag-names-one-and-a-comma"),
    row(None, ["--lang", "nl", "--names", "An,Bo,Cas"], "nl", "bad_names", id="flag-names-three-nl"),
    row(None, ["--lang", "xx"], "en", "unknown_lang", "xx", id="flag-lang-unknown"),
]


def config_path(home):
    return home / "xdg_config_home" / "assistant" / "config.toml"


def write_config(home, config):
    path = config_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    if config == FOLDER:
        path.mkdir()
    elif isinstance(config, bytes):
        path.write_bytes(config)
    elif config is not None:
        path.write_text(config + "\n", encoding="utf-8")
    return path


def assistant(args, stdin="stop\n"):
    command = ["checkin", "daily"]
    if args and not args[0].startswith("-"):  # a row that names its own check-in or command
        command = [args[0]] if args[0] in ("mirror", "safeword") else ["checkin", args[0]]
        args = args[1:]
    return run_main(*command, "--text", "--quiet", *args, stdin=stdin)


def expected(frame, lang, path, detail):
    pack = load_pack(lang)
    if frame == "unknown_lang":
        return pack.text("errors.unknown_lang", lang=detail, available="en, nl")
    if frame == "bad_names":
        return pack.text("errors.bad_names")
    return pack.text(f"errors.{frame}", path=path, detail=detail)


def english_words(sentence, path):
    text = sentence.replace(str(path), " ")
    text = re.sub(r"'[^']*'|--\S+", " ", text)  # the values and flags quoted in it
    words = [w for w in re.findall(r"[\w'-]+", text) if w not in IDENTIFIERS]
    return {w.lower() for w in words} & ENGLISH


@pytest.mark.parametrize("config, args, lang, frame, detail", REFUSED)
def test_a_value_that_does_not_fit_is_refused_with_one_calm_sentence(private_dirs, config, args, lang, frame, detail):
    path = write_config(private_dirs, config)
    if config == MISSING:
        path = private_dirs / "nowhere" / "config.toml"
        args = [*args, "--config", str(path)]
    run = assistant(args)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""  # nothing started
    assert len(run.stderr.splitlines()) == 1, run.stderr
    assert run.stderr.strip() == expected(frame, lang, path, detail)
    if lang == "nl":
        assert english_words(run.stderr, path) == set(), run.stderr


ACCEPTED = [
    pytest.param(None, ["--lang", "EN"], "Guide: Welcome", id="flag-lang-upper-case"),
    pytest.param(None, ["--lang", "NL"], "Gids: Welkom", id="flag-lang-upper-case-nl"),
    pytest.param('lang = " NL "', [], "Gids: Welkom", id="config-lang-upper-case"),
    pytest.param("\ufefflang = 'nl'", [], "Gids: Welkom", id="config-with-byte-order-mark"),
    pytest.param('voice = "gmw/nl+f3"\nvoice_rate = 160.0', [], "Guide: Welcome", id="config-voice-known"),
    pytest.param('voice = "Dutch"', [], "Guide: Welcome", id="config-voice-by-name"),
    pytest.param("pause_minutes = 1440\nweekly_minutes = 30\nsafe_word_confidence = 0", [], "Guide: Welcome",
                 id="config-limits-themselves"),
    pytest.param('safe_word = "Pineapple"\ndata_dir = "~/journal"', [], "Guide: Welcome", id="config-good-safe-word"),
    pytest.param(None, ["--minutes", "5.5", "--pause-minutes", "0.5"], "Guide: Welcome", id="flag-small-numbers"),
]


@pytest.mark.parametrize("config, args, first", ACCEPTED)
def test_values_that_fit_are_taken(private_dirs, monkeypatch, config, args, first):
    monkeypatch.setenv("HOME", str(private_dirs))
    write_config(private_dirs, config)
    run = assistant(args)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert run.stdout.startswith(first)


def test_a_tilde_folder_is_the_home_folder_and_a_config_lang_is_lower_case(private_dirs, monkeypatch):
    monkeypatch.setenv("HOME", str(private_dirs))
    path = write_config(private_dirs, 'lang = "NL"\ndata_dir = "~/journal"')
    settings = load_settings(path)
    assert settings.data_dir == private_dirs / "journal" and settings.lang == "nl"


# --- saving the safe word keeps the config as the person wrote it ---------------------------
CONFIG_WITH_COMMENTS = ('# our settings, kept in dotfiles\nnames = ["Anna", "Ben"]  # the two of us\n\n'
                        '# calm\npause_minutes = 20\n')
CHOOSE_CROCODILE = "crocodile\n" * 5


@pytest.mark.parametrize("layout, mode", [
    pytest.param("symlink", 0o640, id="symlink-to-dotfiles"),
    pytest.param("file", 0o644, id="plain-file"),
    pytest.param("new", None, id="no-config-yet"),
    pytest.param("dangling", None, id="symlink-to-a-file-not-there-yet"),
])
def test_saving_the_safe_word_keeps_comments_the_symlink_and_the_mode(private_dirs, layout, mode):
    path = config_path(private_dirs)
    path.parent.mkdir(parents=True)
    target = private_dirs / "dotfiles" / "assistant.toml" if layout in ("symlink", "dangling") else path
    target.parent.mkdir(parents=True, exist_ok=True)
    if layout in ("symlink", "file"):
        target.write_text(CONFIG_WITH_COMMENTS)
        target.chmod(mode)
    if target != path:
        path.symlink_to(target)

    run = assistant(["safeword"], stdin=CHOOSE_CROCODILE)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr

    assert path.is_symlink() == (target != path)
    written = target.read_text()
    assert 'safe_word = "crocodile"' in written
    if layout in ("symlink", "file"):
        assert written == CONFIG_WITH_COMMENTS + 'safe_word = "crocodile"\n'
    assert stat.S_IMODE(target.stat().st_mode) == (mode or 0o600)
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".config.")] == []  # no scratch left
    assert load_settings().safe_word == "crocodile"
