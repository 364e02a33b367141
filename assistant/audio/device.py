"""sounddevice, imported only when a device is really used, so text and file modes work without PortAudio."""
from __future__ import annotations

from ..errors import UserError


def sounddevice():
    try:
        import sounddevice as sd
    except (ImportError, OSError) as failure:  # OSError: the PortAudio library is missing
        raise UserError("no_audio", detail=str(failure).strip() or "PortAudio") from failure
    return sd


def device_rate(device, kind: str) -> int:
    """The device's own sample rate: many devices refuse 16 kHz, and vosk takes any rate."""
    sd = sounddevice()
    try:
        return int(sd.query_devices(device, kind)["default_samplerate"])
    except (ValueError, sd.PortAudioError) as failure:
        raise UserError("no_audio", detail=str(failure).strip()) from failure


def list_devices() -> str:
    return str(sounddevice().query_devices())
