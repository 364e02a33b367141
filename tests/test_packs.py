"""The language packs against their declared schema (assistant/content/schema.toml), and the code against
the packs: every key the code names is there, and every key is used. The code is read as syntax trees
(code_scan.py), not searched with patterns."""
import re
import string
from functools import cache

import pytest

from assistant.content import available_languages, load_pack, load_schema, placeholders, read_pack_files, section_of
from assistant.content.schema import is_plural
from assistant.speech.commands import CommandWords
from assistant.text import normalize
from code_scan import scan

LANGS = available_languages()
SCHEMA = load_schema()
SECTIONS = {key.split(".")[0] for key in SCHEMA}
KEY_SHAPE = re.compile(r"[a-z_]+(?:\.[a-z0-9_]+)+(?:\[\d+\])?")
FILE_NAMES = {"pause.json", "journal.json", "history.json"}  # string literals shaped like keys that are file names
pack_files = cache(read_pack_files)  # parsed once per worker


def all_keys(lang):
    return {key: value for flat in pack_files(lang).values() for key, value in flat.items()}


# --- the schema ------------------------------------------------------------------------------
def test_there_are_exactly_the_two_product_languages():
    assert LANGS == ["en", "nl"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_language_has_exactly_the_keys_of_the_schema_in_the_same_files(lang):
    keys = all_keys(lang)
    missing = sorted(set(SCHEMA) - set(keys))
    undeclared = [f"{key} (declare it in schema.toml, e.g. {key.rpartition('.')[2]} = {draft(value)!r})"
                  for key, value in keys.items() if key not in SCHEMA]
    assert (missing, undeclared) == ([], [])
    assert pack_files(lang).keys() == pack_files("en").keys()


def test_each_file_holds_only_its_own_section():
    for lang in LANGS:
        for name, keys in pack_files(lang).items():
            section = section_of(name)
            assert all(key.startswith(section + ".") for key in keys), f"{lang}/{name}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_value_is_of_the_kind_and_has_the_placeholders_the_schema_declares(lang):
    problems = [f"{key}: {problem}" for key, value in all_keys(lang).items() if key in SCHEMA
                for problem in [misfit(SCHEMA[key], value)] if problem]
    assert problems == []


def misfit(spec, value) -> str | None:
    """What is wrong with `value` for its schema entry, or None."""
    kind, wanted = spec.kind, set(spec.placeholders)
    if kind == "text":
        return _sentence(value, wanted)
    if kind == "plural":
        if not is_plural(value):
            return "not a plural: a table of the forms one and other"
        # "one" may leave the count out: "One minute left."
        return _sentence(value["other"], wanted) or _sentence(value["one"], wanted, spec.count)
    if kind in ("int", "float"):
        return None if type(value) is int or (kind == "float" and type(value) is float) else f"not an {kind}"
    if kind in ("pattern", "name"):
        return _one(kind, value)
    if not isinstance(value, list) or not value:
        return "not a list, or an empty one"
    if spec.length is not None and len(value) != spec.length:
        return f"{len(value)} items, not {spec.length}"
    item = kind.removesuffix("s")
    for each in value:
        problem = _sentence(each, wanted) if item == "text" else _one(item, each)
        if problem:
            return f"{problem}: {each!r}"
    return None


def _sentence(value, wanted: set[str], count: str | None = None) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "not a sentence, or an empty one"
    try:
        found = placeholders(value)
    except ValueError:
        return "a brace that is no placeholder"
    if found == wanted or found == wanted - {count}:
        return None
    return f"placeholders {sorted(found)}, not {sorted(wanted)}"


def _one(kind: str, value) -> str | None:
    if kind in ("int", "float"):
        return None if type(value) in ((int,) if kind == "int" else (int, float)) else f"not an {kind}"
    if kind == "row":
        return None if isinstance(value, list) and value else "not a row"
    if not isinstance(value, str) or not value.strip():
        return "not a string, or an empty one"
    if kind == "pattern":
        try:
            re.compile(value)
        except re.error as error:
            return f"not a regular expression ({error})"
    elif kind == "word" and any(field is not None for _, field, _, _ in string.Formatter().parse(value)):
        return "a placeholder in a word listened for"
    return None


def draft(value) -> str:
    """A first guess at a schema entry, for the message about an undeclared key."""
    if is_plural(value):
        return "plural" + "".join(f" {{{p}}}" for p in sorted(placeholders(value["other"])))
    if isinstance(value, str):
        return "text" + "".join(f" {{{p}}}" for p in sorted(placeholders(value)))
    if isinstance(value, list):
        return "rows" if value and isinstance(value[0], list) else "words"
    return type(value).__name__


# --- the code against the packs --------------------------------------------------------------
def _generic(template: str) -> bool:
    """f"errors.{key}" or f"{prefix}{name}": a look-up of any key (of a section), which shows no key as used."""
    return re.fullmatch(r"[a-z_]+\\\.\.\+", template) is not None or not re.search(r"[a-z]", template.replace(".+", ""))


def used(key: str) -> bool:
    code = scan()
    return (key in code.constants or key in code.error_keys
            # a section read as a whole: "coaching.", "understanding_model.needs"
            or any("." in c and key.startswith(c.rstrip(".") + ".") for c in code.constants)
            or key.split(".")[0] in code.sections
            # a list's sentence picked by index: f"checkin.fronts.pattern_examples[{index}]"
            or any(re.fullmatch(t.text, named) for t in code.templates if not _generic(t.text)
                   for named in (key, key + "[0]")))


def test_every_key_is_used_by_the_code():
    assert [key for key in SCHEMA if not key.startswith("commands.") and not used(key)] == []


def test_every_key_the_code_names_exists():
    code = scan()
    named = {c.partition("[")[0] for c in code.constants if KEY_SHAPE.fullmatch(c) and c.split(".")[0] in SECTIONS}
    unknown = {name for name in named - FILE_NAMES
               if name not in SCHEMA and not any(key.startswith(name + ".") for key in SCHEMA)}
    assert unknown | (code.error_keys - set(SCHEMA)) == set()
    built = [t for t in code.templates if t.text.split("\\.")[0] in SECTIONS]  # f"checklist.range_{found}"
    assert [f"{t.where}: {t.text}" for t in built
            if not any(re.match(t.text + r"(?:\.|\[|$)", named)
                       for key in SCHEMA for named in (key, key + "[0]"))] == []


# --- what the packs say ----------------------------------------------------------------------
def test_commands_cover_every_control_word_without_clashes():
    for lang in LANGS:
        commands = load_pack(lang).commands()
        assert set(commands) == {"repeat", "next", "done", "stop", "yes", "no"}
        phrases = [normalize(p) for said in commands.values() for p in said]
        assert len(phrases) == len(set(phrases)), f"{lang}: a phrase names two commands"


def sentences(lang):
    """(key, sentence) for every sentence said or shown: texts, plurals' forms and lists of texts."""
    for key, value in all_keys(lang).items():
        if SCHEMA[key].kind in ("text", "texts", "plural"):
            values = value.values() if is_plural(value) else value if isinstance(value, list) else [value]
            yield from ((key, text) for text in values)


def test_spoken_sentences_have_no_parentheses_or_list_marks():
    for lang in LANGS:
        for key, text in sentences(lang):
            if not key.startswith("errors."):
                assert not re.search(r"[()\[\]•]", text), f"{lang} {key}"


def test_a_plural_has_its_count_and_the_pack_picks_the_form_that_agrees():
    plurals = [key for key, spec in SCHEMA.items() if spec.kind == "plural"]
    assert "pause.announce" in plurals
    for lang in LANGS:
        pack = load_pack(lang)
        for key in plurals:
            spec = SCHEMA[key]
            for count, form in ((1, "one"), (2, "other"), (0, "other")):
                fill = {**{name: "@" for name in spec.placeholders}, spec.count: count}
                assert pack.text(key, **fill) == pack.values[key][form].format(**fill), f"{lang} {key} {count}"
    assert load_pack("en").text("pause.announce", minutes=1, at="10:20").count("1 minute apart") == 1
    assert "1 minuut afstand" in load_pack("nl").text("pause.announce", minutes=1, at="10:20")
    assert "2 minuten afstand" in load_pack("nl").text("pause.announce", minutes=2, at="10:20")


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


def test_every_pattern_has_cues_and_two_hints_and_every_need_a_label_and_cues():
    for lang in LANGS:
        keys = all_keys(lang)
        patterns = {k.split(".")[1] for k in keys if k.startswith("coaching.") and k.count(".") == 2}
        assert patterns == {"defending", "fixing", "minimising", "judging", "stonewalling", "no_check"}
        for name in patterns - {"no_check"}:
            assert keys[f"understanding.patterns.{name}"] and keys[f"coaching.{name}.hint"], f"{lang} {name}"
            assert keys[f"coaching.{name}.response_hint"], f"{lang} {name}"
        needs = {k.split(".")[1] for k in keys if k.startswith("needs.")}
        assert needs == {"safety", "connection", "recognition", "autonomy"}
        for name in needs:
            assert keys[f"needs.{name}.label"] and keys[f"understanding.needs.{name}"], f"{lang} {name}"
