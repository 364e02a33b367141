"""`sounddevice` as on a machine without a sound card, wherever the tests run.

conftest.py puts this folder first on the path of the tests and of every `assistant` they start,
so no test depends on (or opens) the machine's own microphone and speaker. What is imported is
the real sounddevice module on the real PortAudio, with its devices taken away: listing them
gives an empty list, and asking for one, or opening a stream, fails as PortAudio fails there.
"""
import os
import sys
from importlib.machinery import PathFinder
from importlib.util import module_from_spec

os.environ.setdefault("JACK_NO_START_SERVER", "1")  # PortAudio's JACK host must not start a server
_HERE = os.path.dirname(os.path.abspath(__file__))
_spec = PathFinder.find_spec(__name__, [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE])
real = module_from_spec(_spec)
_spec.loader.exec_module(real)


def query_devices(device=None, kind=None):
    if device is None and kind is None:
        return real.DeviceList()
    if isinstance(device, str):
        raise ValueError(f"No {kind or 'input/output'} device matching {device!r}")
    raise real.PortAudioError(f"Error querying device {-1 if device is None else device}")


real.query_devices = query_devices  # also what the module's own streams ask
real.default.device = -1, -1  # PortAudio's "no device" as the default input and output
sys.modules[__name__] = real
