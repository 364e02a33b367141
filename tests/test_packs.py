"""The language packs: same files, same keys, same placeholders; every key used, every used key there."""
import re
from pathlib import Path

import pytest

from assistant.content import available_languages, load_pack, placeholders, read_pack_files
from assistant.speech.commands import CommandWords, normalize

SOURCE = Path(__file__).parents[1] / "assistant"
LANGS = available_languages()


def all_keys(lang):
    return {key: value for flat in read_pack_files(lang).values() for key, value in flat.items()}


def source_text():
    return "\n".join(p.read_text(encoding="utf-8") for p in SOURCE.rglob("*.py"))


def test_there_are_exactly_the_two_product_languages():
    assert LANGS == ["en", "nl"]


def test_every_language_has_the_same_files_and_keys():
    reference = {name: set(keys) for name, keys in read_pack_files("en").items()}
    for lang in LANGS:
        files = {name: set(keys) for name, keys in read_pack_files(lang).items()}
        assert files.keys() == reference.keys(), lang
        for name in reference:
            assert files[name] == reference[name], f"{lang}/{name}: {files[name] ^ reference[name]}"


def test_each_file_holds_only_its_own_section():
    for lang in LANGS:
        for name, keys in read_pack_files(lang).items():
            section = name.removesuffix(".toml")
            assert all(key.startswith(section + ".") for key in keys), f"{lang}/{name}"


@pytest.mark.parametrize("lang", LANGS)
def test_values_have_the_same_shape_and_placeholders_as_english(lang):
    english = all_keys("en")
    for key, value in all_keys(lang).items():
        assert type(value) is type(english[key]), key
        if isinstance(value, str):
            assert placeholders(value) == placeholders(english[key]), key
        elif key.endswith("questions") or key.endswith("fronts") or key.endswith("turns"):
            assert len(value) == len(english[key]), key
            for mine, theirs in zip(value, english[key]):
                if isinstance(mine, str):
                    assert placeholders(mine) == placeholders(theirs), key


def test_every_key_is_used_by_the_code():
    code = source_text()
    unused = []
    for key in all_keys("en"):
        if key.startswith("commands."):  # read as a whole by Pack.commands()
            continue
        if not re.search(r"""["'(]""" + re.escape(key) + r"""[\[\]"']""", code) and not _built_key_used(key, code):
            unused.append(key)
    assert unused == []


def _built_key_used(key: str, code: str) -> bool:
    """Keys named with an f-string: f"{base}.greeting" for checkin.daily/weekly, UserError("no_model")."""
    parts = key.split(".")
    if parts[0] == "errors":
        return f'UserError("{parts[1]}"' in code
    if parts[0] == "safeword" and parts[1].startswith("refuse_"):  # f"safeword.refuse_{reason}"
        return 'f"safeword.refuse_{' in code and f'"{parts[1].removeprefix("refuse_")}"' in code
    if len(parts) == 3 and parts[0] in ("coaching", "needs"):  # read as a whole, by prefix
        return f'"{parts[0]}.' in code and f".{parts[2]}" in code
    if parts[0] == "safety" and parts[1] in ("groups", "cues"):  # read as a whole, by prefix
        return f'"safety.{parts[1]}.' in code
    if parts[0] == "helplines":  # f"helplines.{country}.{kind}", every country, every kind
        return 'f"helplines.{self.country}.{kind}"' in code and f'"{parts[2]}"' in code
    if parts[0] == "checklist" and parts[1].startswith("range_"):  # f"checklist.range_{found}"
        return 'f"checklist.range_{found}"' in code and f'"{parts[1].removeprefix("range_")}"' in code
    return len(parts) == 3 and parts[0] == "checkin" and parts[1] in ("daily", "weekly") and \
        f'f"{{base}}.{parts[2]}' in code


def test_every_key_the_code_names_exists():
    known = set(all_keys("en"))
    named = set(re.findall(r"""["']((?:checkin|errors|journal|transcript|demo|voice|mirror|pause|safeword)\.[a-z_.]+)["'\[]""",
                           source_text()))
    errors = {f"errors.{name}" for name in re.findall(r'UserError\("([a-z_]+)"', source_text())}
    named = {key for key in named if not key.endswith(".json")}  # file names, not keys
    assert (named | errors) - known == set()


def test_commands_cover_every_control_word_without_clashes():
    for lang in LANGS:
        commands = load_pack(lang).commands()
        assert set(commands) == {"repeat", "next", "done", "stop", "yes", "no"}
        phrases = [normalize(p) for said in commands.values() for p in said]
        assert len(phrases) == len(set(phrases)), f"{lang}: a phrase names two commands"


def test_spoken_sentences_have_no_parentheses_or_list_marks():
    for lang in LANGS:
        for key, value in all_keys(lang).items():
            texts = value if isinstance(value, list) else [value]
            for text in texts:
                if isinstance(text, str) and not key.startswith(("errors.", "safety.groups.", "safety.cues.", "safety.denials")):
                    assert not re.search(r"[()\[\]•]", text), f"{lang} {key}"


def test_every_error_sentence_ends_calmly_with_what_to_do():
    for lang in LANGS:
        pack = load_pack(lang)
        for key, value in pack.values.items():
            if key.startswith("errors.") and key != "errors.language_name":
                assert value.endswith(".") and value.count(". ") == 0, f"{lang} {key}: one sentence"


def test_command_words_are_matched_whole_and_done_is_split_off_an_answer():
    words = CommandWords(load_pack("en").commands())
    assert words.match("Repeat!", "answer") == "repeat"
    assert words.match("could you repeat that", "answer") is None
    assert words.match("yes", "answer") is None and words.match("yes", "yesno") == "yes"
    assert words.strip_done("It was a long day, done.") == ("it was a long day", True)
    assert words.strip_done("I'm not done yet")[1] is False


def test_every_coaching_pattern_has_phrases_and_a_hint_and_every_need_a_label_and_words():
    for lang in LANGS:
        keys = all_keys(lang)
        patterns = {k.split(".")[1] for k in keys if k.startswith("coaching.") and k.count(".") == 2}
        assert patterns == {"defending", "fixing", "minimising", "judging", "stonewalling", "no_check"}
        for name in patterns - {"no_check"}:
            assert keys[f"coaching.{name}.phrases"] and keys[f"coaching.{name}.hint"], f"{lang} {name}"
        needs = {k.split(".")[1] for k in keys if k.startswith("needs.")}
        assert needs == {"safety", "connection", "recognition", "autonomy"}
        for name in needs:
            assert keys[f"needs.{name}.label"] and keys[f"needs.{name}.words"], f"{lang} {name}"
