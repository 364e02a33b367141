"""One file over HTTPS, resumable: the one thing the assistant ever fetches from a network.

- Only https, or addresses under the mirror URL the user set explicitly (`ASSISTANT_MODEL_URL`
  or `model_url`); every redirect is checked by the same rule before it is followed.
- The bytes go to `<name>.part`; a connection that drops mid-way is picked up where it broke
  off (an HTTP Range request), a few times in one run and again in the next run.
- A progress bar (tqdm: size, speed, time left) on a terminal.
- Every failure is one UserError: no network, a time-out, an HTTP error, a dropped connection,
  a file shorter than announced, no disk space.
"""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from tqdm import tqdm

from .errors import Detail, UserError

CHUNK = 1 << 16  # bytes read at a time
RETRIES = 3  # a dropped connection is resumed this often in one run
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 30.0  # seconds without an answer (connecting, or between two reads)
SPACE_MARGIN = 16 << 20  # bytes kept free on the disk beyond the file itself


def timeout() -> float:
    """Seconds to wait for a server: `ASSISTANT_MODEL_TIMEOUT`, else 30."""
    try:
        value = float(os.environ.get("ASSISTANT_MODEL_TIMEOUT", ""))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def allowed(url: str, mirror: str) -> bool:
    """https, or an address under the mirror URL the user chose."""
    return urlsplit(url).scheme == "https" or bool(mirror and url.startswith(mirror))


def host(url: str) -> str:
    return urlsplit(url).netloc or url


class Fetcher:
    """GET requests that follow only allowed redirects, with one time-out for every wait."""

    def __init__(self, mirror: str = "") -> None:
        self.mirror = mirror
        self.timeout = timeout()
        self.session = requests.Session()
        self.session.trust_env = True  # a proxy in the environment is the user's choice
        self.session.headers["User-Agent"] = "assistant"

    def get(self, url: str, headers: dict | None = None) -> requests.Response:
        for _ in range(MAX_REDIRECTS + 1):
            if not allowed(url, self.mirror):
                raise UserError("download_not_https", url=url)
            try:
                response = self.session.get(url, headers=headers or {}, stream=True, allow_redirects=False,
                                            timeout=(self.timeout, self.timeout))
            except requests.Timeout:
                raise UserError("download_timeout", host=host(url), seconds=f"{self.timeout:g}") from None
            except (requests.ConnectionError, requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema):
                raise UserError("download_no_network", host=host(url)) from None
            if response.is_redirect and "location" in response.headers:
                response.close()
                url = urljoin(url, response.headers["location"])
                continue
            return response
        raise UserError("download_http", url=url, status=Detail("models.status_redirects"))

    def text(self, url: str, limit: int = 8 << 20) -> str:
        """A small text file (the catalogue), at most `limit` bytes."""
        with self.get(url) as response:
            if response.status_code != 200:
                raise UserError("download_http", url=url, status=response.status_code)
            body = b""
            try:
                for chunk in response.iter_content(CHUNK):
                    body += chunk
                    if len(body) > limit:
                        raise UserError("download_http", url=url, status=Detail("models.status_too_large"))
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError, requests.Timeout):
                raise UserError("download_timeout", host=host(url), seconds=f"{self.timeout:g}") from None
            return body.decode("utf-8", errors="replace")


def free_space(folder: Path) -> int:
    """Free bytes on the disk that holds `folder` (or its nearest existing parent)."""
    place = folder
    while not place.exists() and place != place.parent:
        place = place.parent
    return shutil.disk_usage(place).free


def download(fetcher: Fetcher, url: str, part: Path, label: str, expected_size: int = 0) -> Path:
    """Fetch `url` into `part`, resuming what an earlier run left there; returns `part` complete.
    A connection that breaks keeps what came (to be resumed); every other failure removes it."""
    try:
        part.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        raise UserError("bad_output", path=part.parent) from None
    have = part.stat().st_size if part.exists() else 0
    if expected_size and have > expected_size:  # not this file: start over
        part.unlink()
        have = 0
    if expected_size and have == expected_size:
        return part
    attempts = 0
    while True:
        try:
            total = _fetch_once(fetcher, url, part, label, expected_size)
            break
        except _Dropped as dropped:
            attempts += 1
            if attempts > RETRIES or dropped.received == 0 and attempts > 1:  # no progress: give up
                got = part.stat().st_size if part.exists() else 0
                if got == 0:
                    part.unlink(missing_ok=True)  # nothing to resume
                raise UserError("download_dropped", name=label, got=_megabytes(got),
                                total=_megabytes(expected_size or dropped.total)) from None
    size = part.stat().st_size
    if size < total:
        part.unlink(missing_ok=True)
        raise UserError("download_truncated", name=label, got=size, total=total)
    return part


class _Dropped(Exception):
    def __init__(self, received: int, total: int) -> None:
        super().__init__(received)
        self.received = received
        self.total = total


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _fetch_once(fetcher: Fetcher, url: str, part: Path, label: str, expected_size: int) -> int:
    """One request for what is still missing; returns the size the whole file should have."""
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-", "Accept-Encoding": "identity"} if have else {"Accept-Encoding": "identity"}
    response = fetcher.get(url, headers)
    with response:
        if response.status_code == 416 and have and have == expected_size:
            return have
        if response.status_code == 200:
            have = 0  # the server sends it all again
        elif response.status_code == 206 and not response.headers.get("content-range", "").startswith(f"bytes {have}-"):
            part.unlink(missing_ok=True)  # not the part that was asked for: start over
            raise _Dropped(0, expected_size)
        elif response.status_code != 206:
            if response.status_code < 500:  # a server error may pass: what came is kept to resume
                part.unlink(missing_ok=True)
            raise UserError("download_http", url=url, status=response.status_code)
        length = int(response.headers.get("content-length", 0) or 0)
        total = have + length if length else expected_size
        if expected_size and total and total != expected_size:
            total = max(total, expected_size)
        if total and free_space(part.parent) < total - have + SPACE_MARGIN:
            raise UserError("no_space", path=part.parent, size=_megabytes(total - have))
        received = 0
        with open(part, "r+b" if have else "wb") as file, \
                tqdm(total=total or None, initial=have, unit="B", unit_scale=True, unit_divisor=1024,
                     desc=label, file=sys.stderr, disable=None, dynamic_ncols=True) as bar:
            file.seek(have)
            file.truncate()
            try:
                for chunk in response.iter_content(CHUNK):
                    file.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError, requests.Timeout):
                file.flush()
                raise _Dropped(received, total) from None
            except OSError as failure:
                if failure.errno == errno.ENOSPC:
                    with contextlib.suppress(OSError):
                        file.close()
                        part.unlink()
                    raise UserError("no_space", path=part.parent, size=_megabytes(total - have)) from None
                raise UserError("write_failed", path=part) from None
        if length and received < length:  # the server ended early without saying so
            raise _Dropped(received, total)
        return total or have + received
