"""Drawing: Vega-Lite specs (JSON text) into the SVGs a page shows and the PNG cards, by vl-convert.

Drawing is most of a cold build's work, and it does not need the build's own process. So the build hands its
drawings to a :class:`DrawingPool` of helper processes (``python -m generator.charts.drawing``), which answer
through futures:

- the command line starts them before it imports the build's libraries (:func:`start_early`), so their engines
  load meanwhile;
- each claim's chart is handed over as soon as the claim is computed, so the helpers draw while the build computes
  the next claims and writes the next specs;
- the cards are drawn last, while MkDocs runs.

Helpers run at a lower priority than the build (:data:`NICENESS`). With one core, or ``FACTCHECK_DRAW_WORKERS=0``,
the same calls draw in the build's own process (:class:`InlineDrawing`). Either way the bytes are the same.

This module imports neither altair nor pandas: a helper process loads only vl-convert and oxipng.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import re
import signal
import struct
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import vl_convert as vlc

HOVER_PREFIX = "hover_"
"""Name prefix of the invisible point layers that carry a line's hover text (see :func:`render.with_hover`)."""
MIN_STEP = 2.0
"""Hover points of one series closer than this (px, along x) to the previous kept one are dropped."""

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

WORKERS_ENV = "FACTCHECK_DRAW_WORKERS"
"""Environment variable: how many helper processes draw (0: draw in the build's own process)."""


NICENESS = 10
"""Helpers run at a lower priority than the build's own process, whose work (imports, claims, the next spec, MkDocs)
is what the build waits for: they draw on the core it leaves. Measured on the idle 2-core machine, cold builds, one
run alternating: 5.2-5.3 s at niceness 10, 5.6-5.7 s at 0 (on a machine busy with other work, 0 was faster)."""


class DrawingError(RuntimeError):
    """A picture could not be drawn; the message names it and says why, in one line."""


# --- one picture ------------------------------------------------------------------------------------------------


def render_svg(spec: dict | str) -> str:
    """Static SVG drawn by vl-convert (offline) from a Vega-Lite spec (a dict, or its JSON text)."""
    return vlc.vegalite_to_svg(spec if isinstance(spec, str) else json.dumps(spec, sort_keys=True))


_TRANSLATE = re.compile(r"translate\(\s*([-\d.e]+)[ ,]\s*([-\d.e]+)\s*\)")


def _offset(element: ET.Element) -> tuple[float, float]:
    match = _TRANSLATE.search(element.get("transform", ""))
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)


@dataclass
class Rendered:
    """One rendering: the SVG as it goes on the page and the hover points taken out of it."""

    svg: str
    points: list[list[Any]] = field(default_factory=list)
    """[x, y, series number, text] in the SVG's own coordinates, by series then x."""
    series: list[str] = field(default_factory=list)
    """The colour of each series number (a series: one colour of one line)."""


def extract_hover(svg: str, label: str | None = None) -> Rendered:
    """Take the hover layers' items out of ``svg``: their positions and descriptions become points. With
    ``label``, the root is also named for assistive technology (as :func:`accessible_svg` does)."""
    root = ET.fromstring(svg)
    if label is not None:
        _name_root(root, label)
    by_series: dict[tuple[str, str], list[tuple[float, float, str]]] = {}

    def walk(node: ET.Element, ox: float, oy: float) -> None:
        for child in list(node):
            dx, dy = _offset(child)
            classes = child.get("class", "").split()
            layer = next((c for c in classes if c.startswith(HOVER_PREFIX)), "")
            if layer:
                for item in child:
                    ix, iy = _offset(item)
                    colour = item.get("stroke") or item.get("fill") or "#000"
                    text = item.get("aria-label", "")
                    if text:
                        by_series.setdefault((layer, colour), []).append((ox + dx + ix, oy + dy + iy, text))
                node.remove(child)
                continue
            walk(child, ox + dx, oy + dy)

    walk(root, 0.0, 0.0)
    points: list[list[Any]] = []
    keys = list(by_series)
    for number, key in enumerate(keys):
        last = None
        for x, y, text in sorted(by_series[key], key=lambda p: p[0]):
            if last is not None and x - last < MIN_STEP:
                continue
            last = x
            points.append([round(x, 1), round(y, 1), number, text])
    out = ET.tostring(root, encoding="unicode")
    return Rendered(out, points, [colour for _, colour in keys])


def accessible_svg(svg: str, label: str) -> str:
    """The root element named for assistive technology: a chart document labelled with its text alternative."""
    root = ET.fromstring(svg)
    _name_root(root, label)
    return ET.tostring(root, encoding="unicode")


def _name_root(root: ET.Element, label: str) -> None:
    root.set("role", "graphics-document")
    root.set("aria-roledescription", "chart")
    root.set("aria-label", label)
    root.set("focusable", "false")


def draw_chart(wide: str, narrow: str, label: str) -> tuple[Rendered, Rendered]:
    """The wide and narrow renderings of one chart from their final specs (JSON text): drawn, hover points taken
    out, labelled for assistive technology."""
    return extract_hover(render_svg(wide), label), extract_hover(render_svg(narrow), label)


def draw_png(spec: str, deflate_level: int) -> bytes:
    """A PNG at scale 1 (a preview card), recompressed losslessly by oxipng: palette reduction (which oxipng
    always tries), rows unfiltered, libdeflate at ``deflate_level``."""
    import oxipng

    return oxipng.optimize_from_memory(vlc.vegalite_to_png(spec, scale=1), filter=[oxipng.RowFilter.NoOp],
                                       deflate=oxipng.Deflaters.libdeflater(deflate_level))


def _answer(job: dict[str, Any]) -> dict[str, Any]:
    """Do one job of the helper protocol; the answer carries the job's id and either its result or its error."""
    try:
        if job["kind"] == "chart":
            wide, narrow = draw_chart(job["wide"], job["narrow"], job["label"])
            return {"id": job["id"], "wide": wide.__dict__, "narrow": narrow.__dict__}
        if job["kind"] == "png":
            png = draw_png(job["spec"], job["deflate_level"])
            return {"id": job["id"], "png": base64.b64encode(png).decode("ascii")}
        return {"id": job["id"], "error": f"unknown kind of drawing {job['kind']!r}"}
    except Exception as exc:  # the build names the picture and stops; the helper goes on with the next job
        return {"id": job["id"], "error": " ".join(f"{type(exc).__name__}: {exc}".split())}


def _result(job: dict[str, Any], answer: dict[str, Any]) -> Any:
    if "error" in answer:
        raise DrawingError(f"could not draw {job['name']}: {answer['error']}")
    if job["kind"] == "chart":
        return Rendered(**answer["wide"]), Rendered(**answer["narrow"])
    return base64.b64decode(answer["png"])


class Pending:
    """A picture on its way (being drawn, or read back): :meth:`result` waits for it and, the first time, hands it
    to ``then`` (the caller keeps it in its cache)."""

    def __init__(self, future: Future, then: Callable[[Any], None] | None = None) -> None:
        self.future, self.then = future, then

    def result(self) -> Any:
        value = self.future.result()
        if self.then is not None:
            then, self.then = self.then, None
            then(value)
        return value


def done(value: Any) -> Future:
    """A future that already holds ``value`` (a picture read back from a cache)."""
    future: Future = Future()
    future.set_result(value)
    return future


# --- frames: a 4-byte big-endian length, then that many bytes of JSON -------------------------------------------


READY = b"\x00factcheck-drawing-ready\x00"
"""What a helper writes first on its answer stream, once nothing else can write there: the build skips whatever
came before it (text a site hook printed while Python started)."""
MAX_FRAME = 256 * 2**20
"""No answer is this large: a length above it means the stream is not frames."""


def write_frame(stream: IO[bytes], message: dict[str, Any]) -> None:
    data = json.dumps(message, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> dict[str, Any] | None:
    """The next message, or None at the end of the stream. Raises ValueError on a stream that is not frames."""
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack(">I", head)
    if size > MAX_FRAME:
        raise ValueError(f"a frame of {size} bytes")
    data = stream.read(size)
    if len(data) < size:
        return None
    return json.loads(data.decode("utf-8"))


def skip_to_ready(stream: IO[bytes], limit: int = 2**20) -> bool:
    """Read up to and including :data:`READY`; False if the stream ends, or ``limit`` bytes pass, first."""
    seen = b""
    while len(seen) <= limit:
        byte = stream.read(1)
        if not byte:
            return False
        seen += byte
        if seen.endswith(READY):
            return True
    return False


# --- drawing in this process, or in helper processes ------------------------------------------------------------


class InlineDrawing:
    """Draws in this process when asked; the futures it returns are already done."""

    def warm(self) -> None:
        """Nothing to start."""

    def chart(self, name: str, wide: str, narrow: str, label: str) -> Future:
        return self._submit({"kind": "chart", "name": name, "wide": wide, "narrow": narrow, "label": label})

    def png(self, name: str, spec: str, deflate_level: int) -> Future:
        return self._submit({"kind": "png", "name": name, "spec": spec, "deflate_level": deflate_level})

    def _submit(self, job: dict[str, Any]) -> Future:
        future: Future = Future()
        try:
            future.set_result(_result(job, _answer({**job, "id": 0})))
        except DrawingError as exc:
            future.set_exception(exc)
        return future

    def close(self) -> None:
        """Nothing to stop."""

    def __enter__(self) -> InlineDrawing:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _Helper:
    """One helper process and the thread that reads its answers."""

    def __init__(self, command: list[str] | None = None) -> None:
        root = Path(__file__).resolve().parents[2]  # the folder holding the generator package
        paths = [str(root), *(str(Path(p).resolve()) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        self.process = subprocess.Popen(command or [sys.executable, "-m", "generator.charts.drawing"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root, env=env)
        self.pending: dict[int, tuple[dict[str, Any], Future]] = {}
        self.sent = 0
        self.stopped = False
        self.lock = threading.Lock()
        self.outbox: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.writer = threading.Thread(target=self._write, daemon=True)
        self.reader.start()
        self.writer.start()

    def send(self, job: dict[str, Any], future: Future) -> None:
        """Queue a job: its frame is written by this helper's writer thread, so that the build never waits for a
        busy helper to read (a spec is larger than a pipe holds)."""
        with self.lock:
            self.pending[job["id"]] = (job, future)
            self.sent += 1
            stopped = self.stopped
        if stopped:
            self._fail_all()
        else:
            self.outbox.put({k: v for k, v in job.items() if k != "name"})

    def _write(self) -> None:
        assert self.process.stdin is not None
        while (message := self.outbox.get()) is not None:
            try:
                write_frame(self.process.stdin, message)
            except Exception:  # a closed pipe, or a job that cannot be sent: this helper can do no more
                self.process.kill()
                self._fail_all()
                return
        try:
            self.process.stdin.close()  # no more jobs: the helper ends once it has answered the last one
        except OSError:
            pass

    def _read(self) -> None:
        assert self.process.stdout is not None
        try:
            if not skip_to_ready(self.process.stdout):
                return
            while (answer := read_frame(self.process.stdout)) is not None:
                with self.lock:
                    found = self.pending.pop(answer.get("id"), None)
                if found is None:
                    continue  # a job already failed (the helper was given up on)
                job, future = found
                try:
                    future.set_result(_result(job, answer))
                except DrawingError as exc:
                    future.set_exception(exc)
                except Exception as exc:  # an answer that is not one: this job fails, named, and so does the helper
                    future.set_exception(DrawingError(f"could not draw {job['name']}: a garbled answer ({exc})"))
                    raise
        except Exception:
            self.process.kill()  # its answers cannot be read: every job on it fails (below), none waits for ever
        finally:
            try:
                self.process.wait(timeout=5)  # reaped, so that the message can give its exit code
            except subprocess.TimeoutExpired:
                pass
            self._fail_all()

    def _fail_all(self) -> None:
        """The helper stopped: every job not answered, and every later one, fails with a line naming it."""
        code = self.process.poll()
        with self.lock:
            self.stopped = True
            left, self.pending = self.pending, {}
        for job, future in left.values():
            if not future.done():
                future.set_exception(DrawingError(
                    f"could not draw {job['name']}: the drawing process {self.process.pid} stopped"
                    + (f" (exit code {code})" if code is not None else "")))

    def load(self) -> int:
        with self.lock:
            return len(self.pending)

    def close(self) -> None:
        self.outbox.put(None)
        self.writer.join(timeout=60)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


class DrawingPool(InlineDrawing):
    """Up to ``workers`` helper processes, all started by :meth:`warm`, or one at a time as jobs come while every
    started helper is busy; each job goes to the helper with the fewest unanswered jobs. Close it (or use it as a
    context manager) to stop them."""

    def __init__(self, workers: int = 2) -> None:
        self.workers = workers
        self.helpers: list[_Helper] = []
        self.next_id = 0
        self.closed = False

    def warm(self) -> None:
        """Start the helpers now, so that they load vl-convert while this process does other work."""
        while len(self.helpers) < self.workers:
            self.helpers.append(_Helper())

    def _submit(self, job: dict[str, Any]) -> Future:
        if self.closed:
            raise DrawingError(f"could not draw {job['name']}: the drawing processes were already stopped")
        if len(self.helpers) < self.workers and all(helper.load() for helper in self.helpers):
            self.helpers.append(_Helper())  # not started early: one more only while every helper is busy
        self.next_id += 1
        future: Future = Future()
        min(self.helpers, key=_Helper.load).send({**job, "id": self.next_id}, future)
        return future

    def close(self) -> None:
        for helper in self.helpers:
            helper.close()
        self.helpers = []
        self.closed = True

    def stop(self) -> None:
        """Stop the helpers at once, dropping the jobs still queued (the build failed or was interrupted)."""
        for helper in self.helpers:
            helper.process.kill()
        self.close()

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.stop()


def workers_wanted() -> int:
    """Helper processes for a build: ``FACTCHECK_DRAW_WORKERS`` if set, else one core's worth less than the machine
    has, at most two (none on one core: drawing then happens in the build's own process). One vl-convert process
    already keeps about 1.3 cores busy (its engine compiles and collects garbage on threads of its own): on two
    cores a second helper drew no faster (measured, cold builds alternating: 5.3-5.5 s with one, 5.4 s with two)
    and cost 0.4 s more CPU."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value:
        try:
            return max(0, int(value))
        except ValueError:
            raise DrawingError(f"{WORKERS_ENV}={value!r} is not a whole number of drawing processes") from None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, min(2, cores - 1))


_early: list[DrawingPool] = []
"""Helpers started by :func:`start_early`, waiting for the build that will use them."""


def start_early() -> None:
    """Start the helpers now, for the next :func:`drawing` to use: the command line calls this before it imports
    the build (pandas, altair), so that the helpers load vl-convert meanwhile."""
    if not _early and (count := workers_wanted()) > 0:
        pool = DrawingPool(count)
        pool.warm()
        _early.append(pool)


def discard_early() -> None:
    """Stop helpers :func:`start_early` started that no build took (the build failed before it began, or the
    command was only being tested)."""
    while _early:
        _early.pop().close()


def drawing(workers: int | None = None) -> InlineDrawing:
    """The helpers :func:`start_early` started, if any; otherwise a pool of ``workers`` helper processes
    (default: :func:`workers_wanted`), or inline drawing for 0."""
    if _early and workers is None:
        return _early.pop()
    count = workers_wanted() if workers is None else workers
    return DrawingPool(count) if count > 0 else InlineDrawing()


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The helper's loop: answer each job frame on ``stdin`` with one frame on ``stdout`` until ``stdin`` ends."""
    render_svg('{"mark": "point"}')  # load vl-convert's engine before the first job arrives
    while (job := read_frame(stdin)) is not None:
        write_frame(stdout, _answer(job))


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it stops its helpers
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    # answers go to a private copy of stdout; anything the libraries print goes to stderr, not into a frame
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    answers.write(READY)  # from here on, only frames
    answers.flush()
    serve(sys.stdin.buffer, answers)
