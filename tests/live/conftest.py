"""A private PulseAudio server for the live tests: a virtual microphone and speaker that the
assistant uses unmodified through sounddevice (PortAudio's ALSA `default` device, which the
pulseaudio package routes to the server). Fixtures are played into the microphone with `paplay`,
over quiet room noise that plays all along (a working microphone never sends exact digital
silence: the assistant takes that for a dead one); what the guide says is recorded from the
speaker's monitor with `parec`.

Without pulseaudio the tests are skipped, with the reason; CI sets ASSISTANT_REQUIRE_SOUND_SERVER=1,
and there a server that does not start fails them.
"""
import os
import random
import shutil
import subprocess
import threading
import time
from array import array

import pytest

from conftest import NO_SOUND_CARD

CONFIG = """\
load-module module-native-protocol-unix auth-anonymous=1
load-module module-null-sink sink_name=speaker rate=16000 channels=1
load-module module-null-sink sink_name=micsink rate=16000 channels=1
load-module module-remap-source master=micsink.monitor source_name=mic
set-default-sink speaker
set-default-source mic
"""


def unavailable(reason: str):
    if os.environ.get("ASSISTANT_REQUIRE_SOUND_SERVER") == "1":
        pytest.fail(f"the sound server is required here: {reason}")
    pytest.skip(reason)


class SoundServer:
    def __init__(self, env: dict) -> None:
        self.env = env

    def run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=20, **kwargs)

    def play(self, path) -> None:
        """Say the file into the virtual microphone; returns when it has been played."""
        self.run("paplay", "-d", "micsink", str(path), check=True)

    def record(self, path) -> subprocess.Popen:
        """Record what the speaker plays, as 16 kHz mono WAV, until the process is stopped."""
        return subprocess.Popen(["parec", "-d", "speaker.monitor", "--file-format=wav", "--rate=16000",
                                 "--channels=1", "--format=s16le", str(path)], env=self.env)

    def room_noise(self) -> subprocess.Popen:
        """Quiet noise (about -60 dBFS) into the microphone until the process is stopped; the pipe
        to `pacat` paces it in real time."""
        player = subprocess.Popen(["pacat", "--playback", "-d", "micsink", "--raw", "--rate=16000",
                                   "--channels=1", "--format=s16le"], env=self.env, stdin=subprocess.PIPE)
        noise = random.Random(0)
        second = array("h", (noise.randint(-30, 30) for _ in range(16000))).tobytes()

        def play() -> None:
            try:
                while True:
                    player.stdin.write(second)
            except (OSError, ValueError):  # the player was stopped
                pass

        threading.Thread(target=play, name="room-noise", daemon=True).start()
        return player


@pytest.fixture(scope="session")
def sound_server(tmp_path_factory):
    for tool in ("pulseaudio", "pactl", "paplay", "parec", "pacat"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed (scripts/install-system-packages.sh installs it)")
    home = tmp_path_factory.mktemp("pulse")
    (home / "runtime").mkdir(mode=0o700)
    (home / "server.pa").write_text(CONFIG)
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(home / "runtime"),
           "PULSE_SERVER": f"unix:{home / 'runtime' / 'pulse' / 'native'}",
           # this server is the sound card here: the real sounddevice, not the tests' no_sound_card
           "PYTHONPATH": os.pathsep.join(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                                         if p and p != NO_SOUND_CARD)}
    server = subprocess.Popen(["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
                               "-F", str(home / "server.pa")], env=env, stdout=subprocess.DEVNULL,
                              stderr=open(home / "server.log", "w"))
    sound = SoundServer(env)
    deadline = time.monotonic() + 15
    while sound.run("pactl", "info").returncode != 0:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            unavailable(f"pulseaudio did not start: {(home / 'server.log').read_text()[-500:]}")
        time.sleep(0.2)
    noise = sound.room_noise()
    yield sound
    noise.terminate()
    noise.wait(timeout=5)
    server.terminate()  # `pactl exit` is refused: the server runs with --disallow-exit
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
