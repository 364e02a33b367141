"""What every benchmark shares: the machine's description, summaries, the Korean test model and
its fixtures, and a microphone that runs the real `MicrophoneSource` code on scheduled audio."""
from __future__ import annotations

import json
import math
import os
import platform
import random
import statistics
import threading
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KO = ROOT / "tests" / "fixtures" / "ko"
MANIFEST = json.loads((KO / "manifest.json").read_text(encoding="utf-8"))
WORD = MANIFEST["safe_word"]
DISTRACTORS = tuple(json.loads((KO / "distractors.json").read_text(encoding="utf-8"))["words"])
COMMON_WORDS = tuple(json.loads((KO / "common_words.json").read_text(encoding="utf-8"))["words"])
# The spotter's candidate grammars besides the word, what absorbs the speech that is not the word:
# the fixtures' distractors (the default), and those with the language's most common words (tried:
# fewer false triggers, but the lone word missed at some phases; benchmarks/*.json).
GRAMMARS = {"distractors": DISTRACTORS,
            "distractors + common words": (*DISTRACTORS, *(w for w in COMMON_WORDS if w not in DISTRACTORS))}
COMMANDS = {name: [word] for name, word in MANIFEST["control_words"].items()}
RATE = 16000


def machine() -> dict:
    """Cores, CPU model, Python and the load: the figures mean little without them."""
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": model or platform.processor(), "machine": platform.machine(),
            "python": platform.python_version(), "load_average": [round(x, 2) for x in os.getloadavg()]}


def summary(samples: list[float]) -> dict:
    """Median, p95 (nearest rank) and max of `samples`, rounded to the millisecond."""
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {"n": len(ordered), "median": round(statistics.median(ordered), 3), "p95": round(p95, 3),
            "max": round(ordered[-1], 3)}


def fixture(name: str) -> bytes:
    from assistant.audio.convert import read_audio_file, resample

    return resample(read_audio_file(KO / name), RATE).data


def word_span(name: str) -> tuple[float, float]:
    return next((start, end) for text, start, end in MANIFEST["fixtures"][name]["speech"] if text == WORD)


class ScheduledMicrophone:
    """The real `MicrophoneSource` with a thread in PortAudio's place: it calls the source's own
    callback with a block every `block` seconds, in real time, quiet room noise unless audio was
    scheduled (never exact zeros: the source takes those for a dead microphone).
    With `keep`, every delivered block and its time are kept, so a sample's moment can be read back
    (without, the microphone holds nothing that grows: a memory figure is the assistant's own)."""

    def __init__(self, clock, block: float, keep: bool = True):
        from assistant.audio import sources

        class Source(sources.MicrophoneSource):
            def __init__(inner) -> None:  # the stream is this thread, not PortAudio
                inner.clock, inner.rate = clock, RATE
                inner._audio, inner._taps, inner._gathered = sources.queue.Queue(), [], b""
                inner._last_sound_at = clock.monotonic()

            def tap(inner):
                self.tapped_at.append(self.delivered)
                return super().tap()

            def read(inner, timeout: float):
                return None if inner.ended else super().read(timeout)

            def close(inner) -> None:
                self.running = False

        self.source = Source()
        self.block_bytes = int(RATE * block) * 2
        self.block = block
        self.keep = keep
        self.delivered = 0  # blocks
        self.delivered_at: list[float] = []  # with keep: time.monotonic() of each block, by index
        self.audio = bytearray()  # with keep: everything delivered
        self.tapped_at: list[int] = []  # the block each tap started at
        self._pending = bytearray()
        noise = random.Random(0)
        self._room = array("h", (noise.randint(-8, 8) for _ in range(self.block_bytes // 2))).tobytes()
        self._lock = threading.Lock()
        self.running = True
        threading.Thread(target=self._run, name="scheduled-microphone", daemon=True).start()

    def say(self, data: bytes) -> int:
        """Queue `data`, with the room's noise under it, right after what is pending; returns the
        stream sample it starts at. (A clip's exact-zero silences would otherwise read as a dead microphone.)"""
        samples, room = array("h", data), array("h", self._room)
        for i in range(len(samples)):
            samples[i] = max(-32768, min(32767, samples[i] + room[i % len(room)]))
        data = samples.tobytes()
        with self._lock:
            start = self.delivered * self.block_bytes + len(self._pending)
            self._pending.extend(data)
            return start // 2

    def moment(self, sample: int) -> float | None:
        """When `sample` was spoken, by the delivery time of its block (None: not yet delivered)."""
        index = sample * 2 // self.block_bytes
        if index >= len(self.delivered_at):
            return None
        block_end = (index + 1) * self.block_bytes // 2
        return self.delivered_at[index] - (block_end - sample) / RATE

    def _run(self) -> None:
        next_at = time.monotonic()
        while self.running:
            with self._lock:
                data = bytes(self._pending[:self.block_bytes])
                data += self._room[len(data):]
                del self._pending[:self.block_bytes]
                self.delivered += 1
                if self.keep:
                    self.delivered_at.append(time.monotonic())
                    self.audio.extend(data)
            self.source._on_audio(data, len(data) // 2, None, None)
            next_at += self.block
            time.sleep(max(0.0, next_at - time.monotonic()))
