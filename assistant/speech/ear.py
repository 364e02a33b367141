"""Ears: where the conductor gets its next event from while it listens.

`SpeechEar` runs audio from any source through vosk; `TextEar` takes typed (or scripted) lines.
Both decide turns with the same `Turn` logic, so a flow behaves the same in every mode.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from ..clock import Clock
from ..errors import UserError
from ..events import Answer, Command, Event, InputEnded, NoAnswer, SafeWord
from ..text import normalize, without_surrogates
from . import recognizer
from .commands import CommandWords
from .loudness import Loudness
from .spotter import Spotter, SpotterThread, Spotting, says_word
from .turns import Turn, TurnTiming

READ_TIMEOUT = 0.1  # seconds to wait for audio before checking the clock again
COMMAND_PARTIALS = 3  # consecutive partial results a control-word guess must hold before it counts
COMMAND_GAP = 0.3  # seconds of quiet that must come before and after a control word
LONGEST_COMMAND = 1.2  # seconds: the longest control phrase ("end session", "nog een keer")


class SpeechEar:
    """Listens to an audio source through a free recognizer (answers) and a grammar one (control
    words); once armed, a spotter hears the safe word in every piece of audio."""

    def __init__(self, model: Future, source, commands: CommandWords, timing: TurnTiming,
                 clock: Clock, warn: Callable[[UserError], None], spotting: Spotting = Spotting(),
                 free: recognizer.SessionRecognizer | None = None) -> None:
        """`free`: a warm free recognizer on the same model, at the source's rate, to go on with
        (its first words cost a new one about 2 s of CPU); None: one is made at the first turn."""
        self.source = source
        self.spotting = spotting
        self._heard: threading.Event | None = None
        self._spotter: Spotter | None = None  # inline, for sources read only while listening
        self._spotter_thread: SpotterThread | None = None  # for a live source, in every state
        self._tap = None  # the live source's queue the spotter thread reads; removed on disarm
        self._word = ""
        self._second_ear = True
        self.commands = commands
        self.timing = timing
        self.clock = clock
        self._model_future = model
        self._warn = warn
        self._phrases: list[str] | None = None
        self._listening: Listening | None = None
        self._free = free  # kept warm from turn to turn
        self._decoding: Future | None = None  # a live source's piece being decoded
        self._executor: ThreadPoolExecutor | None = None
        self._wake = threading.Event()  # a piece decoded, or the safe word heard

    @property
    def model(self):
        return self._model_future.result()

    def _grammar(self) -> list[str]:
        """The control phrases the model can hear; missing words are reported once, at first use."""
        if self._phrases is None:
            missing = recognizer.missing_words(self.model, self.commands.words())
            if missing:
                self._warn(UserError("missing_words", words=", ".join(missing)))
            self._phrases = [p for p in self.commands.grammar() if not set(p.split()) & set(missing)]
        return self._phrases

    def arm(self, word: str, heard: threading.Event, second_ear: bool = True) -> None:
        """Listen for `word` as the safe word from now on; `heard` is set when it is said. Armed
        again (the set-up tries each candidate), the earlier spotter and its tap go first.
        `second_ear`: the answer's free recognizer listens for it too (see `Listening`)."""
        self.disarm()
        self._heard = heard
        self._word = word
        self._second_ear = second_ear
        if self.source.live:
            def wake() -> None:
                heard.set()
                self._wake.set()

            self._tap = tap = self.source.tap()
            self._spotter_thread = SpotterThread(self._make_spotter, tap, wake)
        else:
            self._spotter = self._make_spotter()

    @property
    def armed(self) -> bool:
        return self._spotter is not None or self._spotter_thread is not None

    def _make_spotter(self) -> Spotter:
        return Spotter(self.model, self.source.rate, self._word, self.spotting)

    def disarm(self) -> None:
        """Stop the spotter thread and take its tap off the source: no queue is left filling."""
        if self._spotter_thread:
            self._spotter_thread.stop()
        if self._tap is not None:
            self.source.untap(self._tap)
        self._spotter = self._spotter_thread = self._tap = None

    def close(self) -> None:
        self.disarm()
        if self._executor is not None:
            self._executor.shutdown()  # the piece being decoded finishes on the recognizers it began on
        self.source.close()

    def _check_spotter(self) -> None:
        """A spotter thread that died (its recognizer failed) is replaced by one in this thread,
        which hears the safe word whenever the ear listens: never a session without one."""
        if self._spotter_thread is not None and self._spotter_thread.failed:
            self.disarm()
            self._spotter = self._make_spotter()

    def begin(self, mode: str) -> None:
        phrases = self._grammar()
        if self._free is None:
            self._free = recognizer.SessionRecognizer(self.model, self.source.rate)
        self._listening = Listening(self._free, self.model, self.source.rate, phrases, self.commands,
                                    Turn(mode, self.commands, self.timing, self.clock.monotonic()),
                                    normalize(self._word) if self.armed and self._second_ear else "")
        self._decoding = None
        self.source.new_turn()

    def step(self) -> Event | None:
        if self._heard is not None and self._heard.is_set():
            self._heard.clear()
            return SafeWord()
        self._check_spotter()
        listening = self._listening
        assert listening is not None, "begin() before step()"
        if self._decoding is None:
            chunk = self.source.read(READ_TIMEOUT)
            if chunk is None:
                return listening.turn.outcome(self.clock.monotonic()) or (InputEnded() if self.source.ended else None)
            if self._spotter and self._spotter.feed(chunk.data):  # a file, or a spotter thread that died
                return SafeWord()
            if not self.source.live:
                listening.hear(chunk.data, self.clock.monotonic())
                return self._outcome(listening)
            self._decoding = self._decoder().submit(listening.hear, chunk.data, self.clock.monotonic())
            self._decoding.add_done_callback(lambda _: self._wake.set())
        # A live source is decoded in its own thread: the safe word is noticed at once, not after
        # the free recognizer's next call (up to half a second).
        self._wake.wait(READ_TIMEOUT)
        self._wake.clear()
        if self._heard is not None and self._heard.is_set():
            return self.step()
        if not self._decoding.done():
            return None
        decoding, self._decoding = self._decoding, None
        decoding.result()  # a failure in the decoding thread is raised here
        return self._outcome(listening)

    def _outcome(self, listening: Listening) -> Event | None:
        if listening.safe_word_said:
            # The free recognizer heard the safe word the spotter missed. The spotter starts afresh,
            # so it can't announce the same word again a moment later, during the pause.
            heard = self._heard
            assert heard is not None
            self.arm(self._word, heard)
            heard.clear()
            return SafeWord()
        return listening.turn.outcome(self.clock.monotonic())

    def _decoder(self) -> ThreadPoolExecutor:
        """One thread decodes, turn after turn: a turn cut off by the safe word finishes its last
        piece there, on its own recognizers, before the next turn's first."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="listening")
        return self._executor


class Listening:
    """One turn's recognizers and loudness, fed piece by piece: the session's free recognizer for
    the answer, restarted for the turn, and a grammar one for control words said on their own.

    A vosk recognizer keeps its feature pipeline from its first sample (it drops it only every ten
    minutes), so a long answer costs ever more memory: after `recognizer.RENEW_SECONDS`, at a final
    result, where nothing is open, the free recognizer is restarted and the grammar one made afresh,
    and word times carry on from there.
    """

    def __init__(self, free: recognizer.SessionRecognizer, model, rate: int, phrases: list[str],
                 commands: CommandWords, turn: Turn, safe_word: str = "") -> None:
        self.turn = turn
        self.safe_word = safe_word  # normalized; "" before the safe word is armed
        self.safe_word_said = False  # in a final result of the free recognizer: a second ear for it
        self.commands = commands
        self._free = free
        self._model, self._rate, self._phrases = model, rate, phrases
        self._loudness = Loudness(rate)  # its time base is vosk's: audio since the turn began
        self._begun = False

    def _renew(self) -> None:
        self._free.restart()
        self._since = self._loudness.seconds  # turn time of the recognizers' first sample
        # An empty grammar crashes vosk: with no known control word, only the free recognizer listens.
        self._control = recognizer.grammar_recognizer(self._model, self._rate, self._phrases) if self._phrases else None
        self._control_guess = ("", 0)  # the grammar recognizer's open guess, and how many partials held it

    def hear(self, data: bytes, now: float) -> None:
        if not self._begun:  # here, in the thread that decodes: the last turn's last piece may
            self._begun = True  # still be decoding on the same free recognizer
            self._renew()
        turn = self.turn
        self._loudness.add(data)
        voiced_until = self._loudness.last_voiced()
        if voiced_until is not None:
            turn.heard_sound(now - (self._loudness.seconds - voiced_until))
        offset = self._since - self._free.started  # recognizer time -> turn time
        if self._free.accept(data):
            text, words = recognizer.read_result(self._free.result(), offset=offset)
            if self.safe_word and says_word(text, self.safe_word):
                self.safe_word_said = True
            turn.heard_final(now, text, words)
            if self._control:
                self._hear_control(self._control, data)
            if self._loudness.seconds - self._since > recognizer.RENEW_SECONDS:
                self._renew()
            return
        turn.heard_partial(now, *recognizer.read_result(self._free.partial(), partial=True, offset=offset))
        if self._control:
            self._hear_control(self._control, data)

    def _hear_control(self, control, data: bytes) -> None:
        """Offer the grammar's control word to the turn when it was said on its own."""
        if control.AcceptWaveform(data):
            self._control_guess = ("", 0)
            guess = recognizer.result_text(control.Result())
        else:
            # vosk may keep a lone short word ("yes") open and then drop it from its final result:
            # a guess that holds over consecutive partials counts too.
            guess = recognizer.result_text(control.PartialResult(), "partial")
            held = self._control_guess[1] + 1 if guess == self._control_guess[0] else 1
            self._control_guess = (guess, held)
            if held < COMMAND_PARTIALS:
                return
        if guess:
            island = self._loudness.lone_island(COMMAND_GAP, LONGEST_COMMAND)
            if island:
                self._control_guess = (guess, -10**9)  # offered once
                self.turn.heard_grammar(guess, island)


def typed_lines(stream) -> Iterator[str]:
    """The lines of `stream` (stdin) as text, whatever bytes were typed or piped in.

    The bytes are read and decoded here, as UTF-8 with U+FFFD for anything that isn't: the
    stream's own decoding would either raise (and kill the reader) or, with surrogateescape,
    let in lone surrogates that can't be saved.
    """
    raw = getattr(stream, "buffer", stream)
    while line := raw.readline():
        text = line.decode("utf-8", errors="replace") if isinstance(line, bytes) else line
        yield without_surrogates(text)


class TextEar:
    """One line is one whole answer; an empty line is silence; the end of the lines ends the input.

    A control word alone on a line is that control word, and a word at the end of a line is part of
    the answer ("the deadline is done"). A done alone right after an answer closes that answer,
    as the guide asked: it is not passed on, where it would skip the next question.

    Lines from a terminal or pipe are read in their own thread, so timers run while nobody types.
    If that thread fails, the input counts as ended (with a warning): the session never waits
    for lines that can't come.
    """

    END = None
    WAITING = object()  # nothing typed yet: not the end, not silence

    def __init__(self, lines: Iterator[str], commands: CommandWords, clock: Clock,
                 on_line: Callable[[str], None] | None = None, threaded: bool = False,
                 warn: Callable[[UserError], None] | None = None) -> None:
        self.lines = lines
        self.commands = commands
        self.clock = clock
        self.on_line = on_line
        self.mode = "answer"
        self.safe_word = ""
        self._typed: queue.Queue | None = None
        self._ended = False
        self._warn = warn
        self._reader_failed: BaseException | None = None
        self._after_answer = False  # the last line was an answer
        if threaded:
            self._typed = typed = queue.Queue[str | None]()
            self._reader = threading.Thread(target=self._read_lines, args=(typed,), name="typed-lines", daemon=True)
            self._reader.start()

    def _read_lines(self, typed: queue.Queue[str | None]) -> None:
        try:
            for line in self.lines:
                typed.put(line)
        except BaseException as failure:  # noqa: BLE001 - whatever it was, the input is over
            self._reader_failed = failure
        finally:
            typed.put(self.END)

    def arm(self, word: str, heard: threading.Event, second_ear: bool = True) -> None:
        self.safe_word = normalize(word)

    def disarm(self) -> None:
        self.safe_word = ""

    def close(self) -> None:
        self.disarm()  # the reader thread is a daemon: a line that never comes keeps nobody waiting

    def begin(self, mode: str) -> None:
        self.mode = mode

    def _next_line(self) -> object:
        """A line, END, or WAITING."""
        if self._ended:
            return self.END
        if self._typed is None:
            line = next(self.lines, self.END)
        else:
            try:
                line = self._typed.get(timeout=READ_TIMEOUT)
            except queue.Empty:
                if self._reader.is_alive():
                    return self.WAITING
                line = self.END  # the reader is gone without a word (it can't be, but never hang)
        self._ended = line is self.END
        if self._ended and self._reader_failed is not None and self._warn:
            self._warn(UserError("input_failed"))
        return line

    def step(self) -> Event | None:
        line = self._next_line()
        if line is self.END:
            return InputEnded()
        if line is self.WAITING:
            return None
        assert isinstance(line, str)
        if self.on_line:
            self.on_line(line)
        after_answer, self._after_answer = self._after_answer, False
        text = line.strip()
        if not text:
            return NoAnswer()
        if self.safe_word and self.safe_word in normalize(text).split():
            return SafeWord()
        command = self.commands.match(text, self.mode)
        if self.mode == "yesno":
            command = command or self.commands.starting_answer(text)
        self._after_answer = command is None
        if command == "done" and after_answer:
            return None
        return Command(command, text) if command else Answer(text)
