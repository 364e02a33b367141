"""A model mirror on 127.0.0.1 for the install tests: http.server in a thread, with Range support.

`routes` maps a path to what is served there:
- `Path`: the file, with Range requests answered by 206 and Content-Range;
- `bytes`: those bytes (the catalogue);
- `Redirect(url)`: a 302 to `url`;
- `Hang()`: the request is read and never answered (until the server stops).
`drop_after[path] = n`: the next response for `path` sends n bytes of the body, then the
connection is cut (once). Every request is recorded in `requests` as (path, Range header).
"""
from __future__ import annotations

import http.server
import re
import shlex
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Redirect:
    url: str


class Hang:
    pass


class ModelServer:
    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.drop_after: dict[str, int] = {}
        self.requests: list[tuple[str, str | None]] = []
        self._stopping = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("Range")))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                elif isinstance(route, Redirect):
                    self.send_response(302)
                    self.send_header("Location", route.url)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif isinstance(route, Hang):
                    server._stopping.wait(30)
                    self.close_connection = True
                else:
                    self._send(route)

            def _send(self, route) -> None:
                data = route if isinstance(route, bytes) else None
                size = len(data) if data is not None else route.stat().st_size
                start = 0
                wanted = self.headers.get("Range")
                if wanted and wanted.startswith("bytes=") and wanted.endswith("-"):
                    start = int(wanted[6:-1])
                    if start >= size:
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{size}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(size - start))
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                limit = server.drop_after.pop(self.path, None)
                sent = 0
                if data is not None:
                    body = data[start:] if limit is None else data[start:start + limit]
                    self.wfile.write(body)
                    sent = len(body)
                else:
                    with open(route, "rb") as file:
                        file.seek(start)
                        while chunk := file.read(1 << 20 if limit is None else min(1 << 20, limit - sent)):
                            self.wfile.write(chunk)
                            sent += len(chunk)
                if limit is not None:  # cut the connection mid-way
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="model-server", daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> ModelServer:
        self.thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def catalogue_entry(name: str, lang: str, zip_path: Path, md5: str, size: int | None = None) -> dict:
    """One entry in the official model-list.json format."""
    size = zip_path.stat().st_size if size is None else size
    return {"lang": lang, "lang_text": lang, "md5": md5, "name": name, "obsolete": "false",
            "size": size, "size_text": f"{size / 1e6:.0f}M", "type": "small",
            "url": f"https://alphacephei.com/vosk/models/{name}.zip", "version": name.rpartition("-")[2]}


README = Path(__file__).parents[1] / "README.md"


def readme_lines(block: str) -> list[str]:
    """The command lines of the README's bash block marked `<!-- readme-test: BLOCK -->`, as
    written there, without their comments."""
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"<!-- readme-test: {re.escape(block)} -->\n```bash\n(.*?)```", text, re.S)
    assert found, f"the README has no block {block}"
    lines = [line.split("  #")[0].strip() for line in found.group(1).splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def readme_commands(block: str) -> list[list[str]]:
    """The block's `assistant ...` lines as argument lists, the word `assistant` left out."""
    commands = [shlex.split(line) for line in readme_lines(block)]
    assert all(words[0] == "assistant" for words in commands), commands
    return [words[1:] for words in commands]
