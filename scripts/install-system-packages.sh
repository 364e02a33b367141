#!/usr/bin/env bash
# Installs the system libraries the assistant uses: espeak-ng (the voice), PortAudio (microphone
# and speaker), ffmpeg (audio files other than WAV), and Python's venv. Safe to run again: it
# installs only what is missing. Debian/Ubuntu (as root or with sudo) and macOS (Homebrew).
set -euo pipefail

if command -v apt-get >/dev/null 2>&1; then
    # pulseaudio, its tools and ALSA's pulse plugin: the live tests' private sound server (tests/live)
    packages=(espeak-ng libespeak-ng1 libportaudio2 ffmpeg pulseaudio pulseaudio-utils libasound2-plugins)
    command -v python3 >/dev/null 2>&1 || packages+=(python3)
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || packages+=(python3-venv python3-pip)
    missing=()
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && exit 0
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v brew >/dev/null 2>&1; then
    for package in espeak-ng portaudio ffmpeg python3; do
        brew list "$package" >/dev/null 2>&1 || brew install "$package"
    done
else
    echo "Please install espeak-ng, PortAudio, ffmpeg and Python 3.10+ with your package manager, then run this again." >&2
    exit 1
fi
