"""Writes tests/fixtures/ko/common_words.json: the most frequent Korean words that the test model
knows, for a candidate grammar of the spotter that the benchmarks measure (`bench.common.GRAMMARS`;
a model without [unk] needs words that absorb ordinary speech).

    pip install wordfreq && .venv/bin/python scripts/bench/common_words.py

The words come from wordfreq's Korean list (word frequencies from many sources; its Korean is split
into morphemes, as this model's vocabulary is), not from the benchmark's speech: in Hangul only, in
the model's vocabulary, never the safe word or a word holding it. Kept in the order of frequency.
"""
from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parents[2] / "tests")]

from korean_model import repeatable_model  # noqa: E402

COUNT = 300
OUT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "ko" / "common_words.json"


def main() -> None:
    from importlib.metadata import version

    import wordfreq

    from assistant.speech import recognizer

    word = json.loads((OUT.parent / "manifest.json").read_text(encoding="utf-8"))["safe_word"]
    with tempfile.TemporaryDirectory() as scratch:
        model = recognizer.load_model(repeatable_model(Path(scratch)))
        known = [w for w in wordfreq.top_n_list("ko", 5000)
                 if re.fullmatch("[가-힣]+", w) and word not in w and model.vosk_model_find_word(w) != -1]
    OUT.write_text(json.dumps({"source": f"wordfreq {version('wordfreq')} top_n_list('ko'), first {COUNT} known",
                               "words": known[:COUNT]}, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT.name}: {COUNT} words")


if __name__ == "__main__":
    main()
