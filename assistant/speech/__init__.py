"""Hearing and speaking: control words, turn taking, the vosk recognizer and the pyttsx3 voice."""
