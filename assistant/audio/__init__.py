"""Sound in and out: sources (microphone, file, scripted), outputs (speaker, WAV file)."""
