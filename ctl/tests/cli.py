#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""cli.py: taskmonitorctl run on hand-written histories (histories/),
against rates computed by hand (the comments give the arithmetic), and
its PNG/SVG plots decoded here.  Usage: cli.py BINARY; prints one
"TM-RESULT PASS|FAIL ctl/cli/NAME[: why]" line per test."""

import csv
import datetime
import io
import json
import os
import pwd
import re
import struct
import subprocess
import sys
import tempfile
import time
import zlib

from tmtest import expect, tester

BIN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
H = os.path.join(HERE, "histories")
ENV = dict(os.environ, TZ="UTC")
results = []


def run(*args, rc=0, stdin=None):
    p = subprocess.run([BIN, *args], capture_output=True, env=ENV, input=stdin)
    if rc is not None and p.returncode != rc:
        raise AssertionError(f"{' '.join(args)}: exit {p.returncode}, "
                             f"wanted {rc}: {p.stderr.decode(errors='replace')}")
    return p


def jrows(*args):
    return [json.loads(l) for l in run(*args, "--json").stdout.decode().splitlines()]


def near(a, b, tol=0.1):
    return a is not None and abs(a - b) <= tol


test = tester("ctl/cli", results)


@test
def show_rates_and_reuse():
    r = jrows("show", "-i", f"{H}/reuse.txt")
    # pid 100 10->11 s: 0.5 s usr / 1 s = 50 %; 11->12: 1 s usr, 0.5 s sys
    # = 100 + 50; second pid 100 (after pid 200, usr went down) 12.5->13.5:
    # 0.1 s = 10 %; third (usr down again) 14.0->14.2: 0.4 s usr + 0.4 s
    # sys in 0.2 s = 200 + 200; pid 300: 20 s alone (time goes back at 19),
    # then 19->21: 0.2 s in 2 s = 10 %.  Five rows, none across a boundary.
    want = [(100, 50, 0, 50), (100, 100, 50, 150), (100, 10, 0, 10),
            (100, 200, 200, 400), (300, 10, 0, 10)]
    expect(len(r) == len(want), f"{len(r)} rows, wanted {len(want)}")
    for row, (pid, u, s, c) in zip(r, want):
        expect(row["pid"] == pid and near(row["usr_pct"], u) and
               near(row["sys_pct"], s) and near(row["cpu_pct"], c), f"row {row}")
    # 10 minor faults, 1 major, 10 voluntary, 2 involuntary in 1 s.
    expect(near(r[0]["minflt_per_s"], 10) and near(r[0]["majflt_per_s"], 1) and
           near(r[0]["cswch_per_s"], 10) and near(r[0]["nvcswch_per_s"], 2), f"{r[0]}")
    # 40 minor faults in 0.2 s.
    expect(near(r[3]["minflt_per_s"], 200) and r[3]["threads"] == 4 and
           r[3]["rss_kib"] == 800, f"{r[3]}")
    # The header's boot time plus ts, as ISO 8601.
    t = datetime.datetime.fromtimestamp(1764700000 + 11, datetime.timezone.utc)
    expect(r[0]["time"] == t.strftime("%Y-%m-%dT%H:%M:%S.000+00:00") and
           r[0]["ts"] == 11000000000, f"time {r[0]['time']}")


@test
def summary_and_list():
    r = jrows("show", "--summary", "-i", f"{H}/reuse.txt")
    # (pid, samples, avg, max, rss max, usr s, sys s); avg = CPU time of
    # the window over its length: (1.5 + 0.5) / 2 s = 100 %.
    want = [(100, 3, 100, 150, 1200, 1.5, 0.5), (200, 1, None, None, 10, 0, 0),
            (100, 2, 10, 10, 300, 0.1, 0), (100, 2, 400, 400, 800, 0.4, 0.4),
            (300, 1, None, None, 1, 0, 0), (300, 2, 10, 10, 1, 0.2, 0)]
    expect(len(r) == len(want), f"{len(r)} rows, wanted {len(want)}")
    for row, (pid, n, avg, mx, rss, us, ss) in zip(r, want):
        ok = (row["pid"] == pid and row["samples"] == n and
              row["rss_kib_max"] == rss and near(row["usr_s"], us, 1e-6) and
              near(row["sys_s"], ss, 1e-6))
        if avg is None:
            ok = ok and row["cpu_pct_avg"] is None and row["cpu_pct_max"] is None
        else:
            ok = ok and near(row["cpu_pct_avg"], avg) and near(row["cpu_pct_max"], mx)
        expect(ok, f"summary row {row}")
    lst = jrows("list", "-i", f"{H}/reuse.txt")
    expect([(x["pid"], x["samples"], x["first_ts"], x["last_ts"]) for x in lst] ==
           [(100, 3, 10000000000, 12000000000), (200, 1, 10500000000, 10500000000),
            (100, 2, 12500000000, 13500000000), (100, 2, 14000000000, 14200000000),
            (300, 1, 20000000000, 20000000000), (300, 2, 19000000000, 21000000000)],
           f"list {lst}")


@test
def start_key_separates():
    # Counters rise and time goes on: only `start` tells the two apart.
    # 1->2 s: 0.25 s = 25 %; 3->4 s: 0.1 s = 10 %.
    r = jrows("show", "-i", f"{H}/start.txt")
    expect([round(x["cpu_pct"], 3) for x in r] == [25, 10], f"rows {r}")


@test
def show_io_rates():
    r = jrows("show", "-i", f"{H}/io.txt")
    # pid 50: 1 MiB read, 512 KiB written in 0.5 s: 2048 and 1024 KiB/s;
    # then 4 MiB written in 2 s: 0 and 2048.  pid 60: rbytes goes down at
    # 2 s (a new process), then 10 KiB written in 1 s.  pid 70 (0.1.0
    # lines): no rbytes or wbytes, so no rate: null.
    got = [(x["pid"], x["rd_kib_per_s"], x["wr_kib_per_s"]) for x in r]
    want = [(50, 2048, 1024), (50, 0, 2048), (60, 0, 10), (70, None, None)]
    expect(len(got) == len(want) and all(
        g[0] == w[0] and (g[1:] == w[1:] if w[1] is None else
                          near(g[1], w[1], 1e-3) and near(g[2], w[2], 1e-3))
        for g, w in zip(got, want)), f"rows {got}")
    # --every 2s: 1 -> 3.5 s, 1024 KiB read and 4608 written in 2.5 s.
    e = jrows("show", "50", "--every", "2s", "-i", f"{H}/io.txt")
    expect(len(e) == 1 and near(e[0]["rd_kib_per_s"], 409.6, 1e-3) and
           near(e[0]["wr_kib_per_s"], 1843.2, 1e-3), f"--every rows {e}")
    c = list(csv.reader(io.StringIO(run("show", "--csv", "-i", f"{H}/io.txt").stdout.decode())))
    expect(c[0][-2:] == ["rd_kib_per_s", "wr_kib_per_s"] and
           all(len(x) == len(c[0]) for x in c), f"csv header {c[0]}")
    expect(c[-1][-2:] == ["", ""] and float(c[1][-2]) == 2048.0 and
           float(c[1][-1]) == 1024.0, f"csv rows {c[1]} {c[-1]}")
    t = run("show", "-i", f"{H}/io.txt").stdout.decode().splitlines()
    head = t[0].split()
    expect(head[-3:] == ["kB_rd/s", "kB_wr/s", "Command"], f"table header {t[0]}")
    expect(t[1].split()[-3:] == ["2048.00", "1024.00", "dd"] and
           t[-1].split()[-3:] == ["-", "-", "?"], f"table rows {t[1]!r} {t[-1]!r}")


@test
def show_io_rate_of_written_lines():
    # Two lines written here, with counts of no round size; the rate is
    # the byte difference over 1024 over the seconds between the lines.
    rb, wb, dt = (123457, 9876543), (7340033, 12345677), 1.75
    line = ("pid 9 usr 0 sys 0 ts {} rss 1 vsz 1 minflt 0 majflt 0 nvcsw 0 "
            "nivcsw 0 threads 1 start 1 comm w ppid 1 rbytes {} wbytes {}\n")
    hist = (line.format(2_000_000_000, rb[0], wb[0]) +
            line.format(2_000_000_000 + int(dt * 1e9), rb[1], wb[1])).encode()
    out = run("show", "--json", "-i", "-", stdin=hist).stdout.decode()
    row = [json.loads(l) for l in out.splitlines()]
    rd, wr = (rb[1] - rb[0]) / 1024 / dt, (wb[1] - wb[0]) / 1024 / dt
    expect(len(row) == 1 and near(row[0]["rd_kib_per_s"], rd, 1e-3) and
           near(row[0]["wr_kib_per_s"], wr, 1e-3),
           f"{row}: wanted {rd:.3f} and {wr:.3f} KiB/s")


@test
def every_since_until():
    # --every 2s: 1->3 s: 1 s usr / 2 s = 50 %; 3->5 s: 0.5 usr + 0.5 sys
    # = 25 + 25; 5->6 is shorter than 2 s: no row.
    p = run("show", "--every", "2s", "--json", "-i", f"{H}/every.txt")
    r = [json.loads(l) for l in p.stdout.decode().splitlines()]
    expect([(round(x["usr_pct"], 3), round(x["sys_pct"], 3), x["rss_kib"]) for x in r] ==
           [(50, 0, 300), (25, 25, 250)], f"rows {r}")
    expect(b"dropped 3 samples" in p.stderr and b":6:" in p.stderr,
           f"lost line not reported: {p.stderr}")
    # Every interval: 100, 0, 100, 0, 50 %; max 100, avg 2.5 s / 5 s.
    s = jrows("show", "-s", "-i", f"{H}/every.txt")[0]
    expect(s["samples"] == 6 and near(s["cpu_pct_max"], 100) and
           near(s["cpu_pct_avg"], 50) and s["rss_kib_max"] == 300, f"summary {s}")
    # Window 2..4 s after a boot at 1e9: samples at 2, 3, 4 s: 0 %, 100 %.
    r = jrows("show", "--boot-time", "1000000000", "--since", "@1000000002",
              "--until", "@1000000004", "-i", f"{H}/every.txt")
    expect([round(x["cpu_pct"], 3) for x in r] == [0, 100], f"window rows {r}")
    t = datetime.datetime.fromtimestamp(1000000003, datetime.timezone.utc)
    expect(r[0]["time"].startswith(t.strftime("%Y-%m-%dT%H:%M:%S")), r[0]["time"])


@test
def comm_bytes_stay_valid():
    # The comm key holds a 0xff byte, a quote, a comma, a backslash and an
    # e acute; the last line has no newline.
    data = open(f"{H}/comm.txt", "rb").read()
    j = run("show", "--json", "-i", "-", stdin=data).stdout
    row = json.loads(j.decode("utf-8"))
    expect(row["comm"] == 'we\\xff"ird,\\n\u00e9' and near(row["cpu_pct"], 50), f"json {row}")
    c = run("show", "--csv", "-i", "-", stdin=data).stdout.decode("utf-8")
    rows = list(csv.reader(io.StringIO(c)))
    expect(len(rows) == 2 and rows[1][3] == 'we\\xff"ird,\\n\u00e9' and
           len(rows[1]) == len(rows[0]), f"csv {rows}")
    expect(rows[0][:8] == ["time", "ts", "pid", "comm", "interval_s", "usr_pct",
                           "sys_pct", "cpu_pct"], f"csv header {rows[0]}")
    for fmt in ("--json", "--csv"):
        out = run("show", "-s", fmt, "-i", "-", stdin=data).stdout
        out.decode("utf-8")  # raises if not UTF-8


@test
def malformed_line_is_an_error():
    for args in (["show"], ["show", "-s"], ["list"], ["show", "--json"]):
        p = run(*args, "-i", f"{H}/malformed.txt", rc=1)
        expect(b"malformed.txt:3:" in p.stderr and b'"threads" is missing' in p.stderr,
               f"{args}: {p.stderr}")
    p = run("show", "-i", "-", stdin=b"pid 1 usr 2\n\n", rc=1)
    expect(b"(stdin):1:" in p.stderr, f"{p.stderr}")


@test
def errors_name_the_fix():
    # Nothing here loads taskmonitor into the host's kernel.
    if not os.path.exists("/sys/module/taskmonitor"):
        for args in (["add", "1"], ["show"], ["list"], ["save", "-"]):
            p = run(*args, rc=2)
            expect(b"taskmonitor is not loaded: modprobe taskmonitor" in p.stderr,
                   f"{args}: {p.stderr}")
    p = run("add", "12x", rc=2)
    expect(b'"12x" is not a PID' in p.stderr, p.stderr)
    p = run("show", "-i", "/nonexistent/h", rc=2)
    expect(b"/nonexistent/h" in p.stderr, p.stderr)
    p = run("plot", "-i", f"{H}/reuse.txt", "-o", "x.gif", rc=2)
    expect(b"must end in .png or .svg" in p.stderr, p.stderr)
    p = run("top", rc=2)
    expect(b"follow-mode" in p.stderr, p.stderr)
    for cmd in ("add", "remove", "list", "show", "plot", "save", "export"):
        expect(run(cmd, "--help").stdout.startswith(b"usage: taskmonitorctl " + cmd.encode()),
               f"{cmd} --help")


@test
def unknown_pid_is_an_error():
    # PID 100 is there (four rows, see above), 555 is not: exit 1 naming it.
    p = run("show", "100", "555", "--json", "-i", f"{H}/reuse.txt", rc=1)
    rows = [json.loads(l) for l in p.stdout.decode().splitlines()]
    expect(len(rows) == 4 and all(r["pid"] == 100 for r in rows), f"rows {rows}")
    expect(b"PID 555 has no sample in the history" in p.stderr, p.stderr)
    p = run("show", "300", "--since", "@1764700030", "-i", f"{H}/reuse.txt", rc=1)
    expect(b"PID 300 has no sample in the window" in p.stderr, p.stderr)


@test
def saved_names():
    # "# comm PID NAME" names the next process if it has that PID: pid 100
    # is "my name\\é" (\x20 a space, \x5c a backslash); pid 200 is not
    # the 100 that the second line names.
    lst = jrows("list", "-i", f"{H}/names.txt")
    expect([(x["pid"], x["comm"]) for x in lst] ==
           [(100, "my name\\\u00e9"), (200, None)], f"list {lst}")
    # The header's boot time, to the nanosecond: 1000000000.5 + 1 s.
    expect(lst[0]["first_time"].endswith(":41.500+00:00"), lst[0]["first_time"])
    # save keeps the names and one header, whose time --boot-time sets.
    with tempfile.TemporaryDirectory() as d:
        run("save", f"{d}/h", "-i", f"{H}/names.txt")
        text = open(f"{d}/h", "rb").read()
        expect(text.count(b"# boot_time ") == 1 and
               text.startswith(b"# boot_time 1000000000.500000000\n"), f"{text[:80]}")
        expect(jrows("list", "-i", f"{d}/h") == lst, "names lost in the copy")
        run("save", f"{d}/h2", "-i", f"{H}/names.txt", "--boot-time", "7.25")
        expect(open(f"{d}/h2").readline() == "# boot_time 7.250000000\n", "--boot-time")


@test
def save_round_trip():
    with tempfile.TemporaryDirectory() as d:
        # save from a file: the header takes --boot-time; read back, the
        # times are those of that boot.
        run("save", f"{d}/h", "-i", f"{H}/every.txt", "--boot-time", "1000000000")
        first = open(f"{d}/h").readline()
        expect(first == "# boot_time 1000000000.000000000\n", first)
        r = jrows("show", "-i", f"{d}/h")
        t = datetime.datetime.fromtimestamp(1000000002, datetime.timezone.utc)
        expect(r[0]["time"] == t.strftime("%Y-%m-%dT%H:%M:%S.000+00:00"), r[0]["time"])


def png_pixels(path):
    """Width, height and the set of distinct pixels of an 8-bit RGB(A) PNG."""
    data = open(path, "rb").read()
    expect(data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG")
    pos, idat, w, h, bpp = 8, b"", 0, 0, 3
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            expect(depth == 8 and ctype in (2, 6), f"PNG type {depth}/{ctype}")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, prev, pixels = zlib.decompress(idat), w * bpp, bytearray(w * bpp), set()
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        if y % 4 == 0:
            pixels.update(bytes(line[i:i + bpp]) for i in range(0, stride, bpp * 2))
        prev = line
    return w, h, pixels


@test
def plot_png_and_svg():
    with tempfile.TemporaryDirectory() as d:
        run("plot", "-i", f"{H}/reuse.txt", "-o", f"{d}/p.png", "--size", "640x480")
        w, h, pixels = png_pixels(f"{d}/p.png")
        # A blank image has one colour; axes, text and the lines of the
        # processes (one colour each) make many more.
        expect((w, h) == (640, 480), f"size {w}x{h}")
        expect(len(pixels) >= 5, f"{len(pixels)} distinct colours: blank?")
        run("plot", "100", "-i", f"{H}/reuse.txt", "-o", f"{d}/p.svg")
        svg = open(f"{d}/p.svg").read()
        expect("<svg" in svg and "100 " in svg and "RSS (MiB)" in svg, "svg content")
        p = run("plot", "200", "-i", f"{H}/reuse.txt", "-o", f"{d}/q.png", rc=1)
        expect(b"nothing to plot" in p.stderr and not os.path.exists(f"{d}/q.png"), p.stderr)


PROM_LINE = re.compile(r'^([a-z_]+)(?:\{(.*)\})? (\S+)(?: (\S+))?$')
PROM_LABEL = re.compile(r'([a-z_]+)="((?:[^"\\]|\\.)*)",?')


def prom_unescape(v):
    return re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n" else m.group(1), v)


def prom_parse(text):
    """Samples of an exposition text as [(name, labels, value, ts)]; the
    metadata lines as [(kind, name)]; raises on any other line."""
    samples, meta = [], []
    for line in text.splitlines():
        if line.startswith("# "):
            parts = line.split(" ", 3)
            meta.append((parts[1], parts[2] if len(parts) > 2 else ""))
            continue
        m = PROM_LINE.match(line)
        expect(m, f"not an exposition line: {line!r}")
        labels = {}
        if m.group(2):
            pos = 0
            for lm in PROM_LABEL.finditer(m.group(2)):
                expect(lm.start() == pos, f"labels of {line!r}")
                labels[lm.group(1)] = prom_unescape(lm.group(2))
                pos = lm.end()
            expect(pos == len(m.group(2)), f"labels of {line!r}")
        samples.append((m.group(1), labels, float(m.group(3)),
                        float(m.group(4)) if m.group(4) else None))
    return samples, meta


def series_key(name, labels):
    return (name, tuple(sorted(labels.items())))


@test
def export_newest():
    out = run("export", "-i", f"{H}/reuse.txt").stdout.decode("utf-8")
    samples, meta = prom_parse(out)
    keys = [series_key(n, lb) for n, lb, _, _ in samples]
    expect(len(keys) == len(set(keys)), "a series twice")
    expect(all(ts is None for _, _, _, ts in samples), "a timestamp in 0.0.4 output")
    got = {series_key(n, lb): v for n, lb, v, _ in samples}

    def val(name, pid, **extra):
        return got.get(series_key(name, dict(pid=str(pid), comm="", **extra)))
    # pid 100 is listed three times (reused twice): only the last, whose
    # newest line (ts 14.2 s) says usr 0.42 s, sys 0.4 s, rss 800 KiB =
    # 819200 B, vsz 900 KiB, 640 minor faults, 4 threads.  pid 300's last
    # process ends at ts 21 s with usr 0.3 s.  pid 200: one sample.
    expect(val("taskmonitor_cpu_seconds_total", 100, mode="user") == 0.42 and
           val("taskmonitor_cpu_seconds_total", 100, mode="system") == 0.4, out)
    expect(val("taskmonitor_resident_memory_bytes", 100) == 819200 and
           val("taskmonitor_virtual_memory_bytes", 100) == 921600 and
           val("taskmonitor_page_faults_total", 100, type="minor") == 640 and
           val("taskmonitor_page_faults_total", 100, type="major") == 0 and
           val("taskmonitor_threads", 100) == 4, "pid 100's gauges")
    expect(val("taskmonitor_cpu_seconds_total", 300, mode="user") == 0.3 and
           val("taskmonitor_resident_memory_bytes", 200) == 10240, "pids 200, 300")
    # The header's boot 1764700000 + 14.2 s; 11 sample lines.
    expect(abs(val("taskmonitor_last_sample_timestamp_seconds", 100) - 1764700014.2) < 1e-6,
           "timestamp")
    expect(got[series_key("taskmonitor_exporter_samples", {})] == 11, "samples")
    expect(len([k for k in keys if k[0] == "taskmonitor_threads"]) == 3, "3 processes")
    types = {line.split()[2]: line.split()[3] for line in out.splitlines()
             if line.startswith("# TYPE")}
    expect(len(meta) == 16, f"{len(meta)} HELP and TYPE lines")
    expect(types == {"taskmonitor_cpu_seconds_total": "counter",
                     "taskmonitor_resident_memory_bytes": "gauge",
                     "taskmonitor_virtual_memory_bytes": "gauge",
                     "taskmonitor_page_faults_total": "counter",
                     "taskmonitor_context_switches_total": "counter",
                     "taskmonitor_threads": "gauge",
                     "taskmonitor_last_sample_timestamp_seconds": "gauge",
                     "taskmonitor_exporter_samples": "gauge"}, f"types {types}")
    # PIDs select processes; start labels; names as valid UTF-8.
    only = prom_parse(run("export", "300", "-i", f"{H}/reuse.txt").stdout.decode())[0]
    expect({lb.get("pid") for _, lb, _, _ in only} == {"300", None}, "export 300")
    st = prom_parse(run("export", "-i", f"{H}/start.txt").stdout.decode())[0]
    cpu = [(lb["start"], v) for n, lb, v, _ in st
           if n == "taskmonitor_cpu_seconds_total" and lb["mode"] == "user"]
    expect(cpu == [("2900000000", 1.0)], f"start: {cpu}")
    c = prom_parse(run("export", "-i", f"{H}/comm.txt").stdout.decode("utf-8"))[0]
    expect(c[0][1]["comm"] == 'we\\xff"ird,\\n\u00e9', f"comm {c[0][1]}")


def om_series(text):
    """OpenMetrics text: {series: [(ts, value)]}, checking that it ends
    with # EOF, that families and series do not interleave, and that
    each series goes forward in time."""
    lines = text.splitlines()
    expect(lines[-1] == "# EOF" and lines.count("# EOF") == 1, "no # EOF at the end")
    samples, _ = prom_parse("\n".join(lines[:-1]))
    series, done, fam_done, fam = {}, set(), set(), None
    last = None
    for n, lb, v, ts in samples:
        expect(ts is not None, f"{n}: no timestamp")
        f = n[:-6] if n.endswith("_total") else n
        if f != fam:
            expect(f not in fam_done, f"family {f} interleaved")
            if fam:
                fam_done.add(fam)
            fam = f
        k = series_key(n, lb)
        if k != last:
            expect(k not in done, f"series {k} twice")
            if last:
                done.add(last)
            last = k
        pts = series.setdefault(k, [])
        expect(not pts or ts > pts[-1][0], f"{k}: time goes back at {ts}")
        pts.append((ts, v))
    return series


@test
def export_history():
    p = run("export", "--history", "-i", f"{H}/reuse.txt")
    s = om_series(p.stdout.decode("utf-8"))
    b = 1764700000

    def user(pid):
        return s[series_key("taskmonitor_cpu_seconds_total",
                            dict(pid=str(pid), comm="", mode="user"))]
    # pid 100's three processes are one series (same PID and name, no
    # start key): usr of every line, in order, resets included.
    expect(user(100) == [(b + 10, 0), (b + 11, 0.5), (b + 12, 1.5), (b + 12.5, 0.01),
                         (b + 13.5, 0.11), (b + 14, 0.02), (b + 14.2, 0.42)],
           f"pid 100: {user(100)}")
    # pid 300: [20 s] then [19 s, 21 s]: the second starts earlier, so
    # it comes first, and the 20 s sample, not after 21 s, is left out.
    expect(user(300) == [(b + 19, 0.1), (b + 21, 0.3)], f"pid 300: {user(300)}")
    expect(b"1 samples left out" in p.stderr, p.stderr)
    rss = s[series_key("taskmonitor_resident_memory_bytes", dict(pid="100", comm=""))]
    expect([v for _, v in rss] == [x * 1024 for x in (1000, 1100, 1200, 300, 300, 700, 800)],
           f"rss {rss}")
    # Counters are declared without _total, as OpenMetrics wants.
    expect("# TYPE taskmonitor_cpu_seconds counter" in p.stdout.decode(), "TYPE line")
    # With the start key, the two processes of pid 7 are two series.
    s = om_series(run("export", "--history", "--boot-time", "0", "-i", f"{H}/start.txt").stdout.decode())
    u = {k[1]: v for k, v in s.items() if k[0] == "taskmonitor_cpu_seconds_total"
         and ("mode", "user") in k[1]}
    expect(sorted(v for v in u.values()) ==
           [[(1, 0), (2, 0.25)], [(3, 0.9), (4, 1.0)]], f"start series {u}")
    # A window, from stdin (read twice through a temporary copy).
    data = open(f"{H}/every.txt", "rb").read()
    s = om_series(run("export", "--history", "--boot-time", "1000000000", "--since",
                      "@1000000002", "--until", "@1000000004", "-i", "-",
                      stdin=data).stdout.decode())
    rss = s[series_key("taskmonitor_resident_memory_bytes", dict(pid="9", comm=""))]
    expect(rss == [(1000000002, 204800), (1000000003, 307200), (1000000004, 256000)],
           f"window {rss}")
    # An empty history: the families' metadata, no sample.
    expect(om_series(run("export", "--history", "-i", "-", stdin=b"").stdout.decode()) == {},
           "empty history")
    e = prom_parse(run("export", "-i", "-", stdin=b"").stdout.decode())[0]
    expect(e == [("taskmonitor_exporter_samples", {}, 0, None)], f"empty: {e}")


@test
def export_io_bytes():
    out = run("export", "-i", f"{H}/io.txt").stdout.decode()
    samples, _ = prom_parse(out)
    io_ = {(lb["pid"], lb["direction"]): v for n, lb, v, _ in samples
           if n == "taskmonitor_io_bytes_total"}
    # The newest lines: pid 50 read 1048576 and wrote 4718592 bytes; the
    # second pid 60 4096 and 30720; pid 70's lines have no I/O keys.
    expect(io_ == {("50", "read"): 1048576, ("50", "write"): 4718592,
                   ("60", "read"): 4096, ("60", "write"): 30720}, f"io {io_}")
    expect("# TYPE taskmonitor_io_bytes_total counter\n" in out and
           "# HELP taskmonitor_io_bytes_total " in out, "HELP and TYPE")
    # Every sample of pid 50, with its time; none of pid 70.
    s = om_series(run("export", "--history", "--boot-time", "0", "-i",
                      f"{H}/io.txt").stdout.decode())
    w = s[series_key("taskmonitor_io_bytes_total",
                     dict(pid="50", comm="dd", start="900000000", direction="write"))]
    expect(w == [(1, 0), (1.5, 524288), (3.5, 4718592)], f"pid 50 writes {w}")
    expect(not [k for k in s if k[0] == "taskmonitor_io_bytes_total" and
                ("pid", "70") in k[1]], "pid 70 has I/O series")
    # A 0.1.0 history has no I/O family at all, not even its HELP.
    expect("io_bytes" not in run("export", "-i", f"{H}/reuse.txt").stdout.decode(),
           "I/O family for a 0.1.0 history")


@test
def exit_status():
    # pid 80 exits with 3; the next lines of pid 80 are another process,
    # live; pid 81 was killed by SIGKILL: 128 + 9; pid 82 lives.  The
    # history is of no known boot: the state comes from the exit record
    # alone ("-": unknown).
    lst = jrows("list", "-i", f"{H}/exit.txt")
    expect([(x["pid"], x["state"], x["samples"], x["exit"]) for x in lst] ==
           [(80, "exited", 2, 3), (80, "-", 2, None), (81, "exited", 1, 137),
            (82, "-", 2, None)], f"list {lst}")
    # Summary: 0.1 s in 1 s, 10 %, for both pid 80s: the exit record
    # ends the first, so no row spans the two.
    summ = jrows("show", "-s", "-i", f"{H}/exit.txt")
    expect([(x["pid"], x["samples"], x["exit"]) for x in summ] ==
           [(80, 2, 3), (80, 2, None), (81, 1, 137), (82, 2, None)], f"summary {summ}")
    rows = jrows("show", "80", "-i", f"{H}/exit.txt")
    expect([(x["ts"], round(x["cpu_pct"], 3)) for x in rows] ==
           [(2000000000, 10), (4000000000, 10)], f"rows {rows}")
    for args in (["list"], ["show", "-s"]):
        c = list(csv.reader(io.StringIO(run(*args, "--csv", "-i", f"{H}/exit.txt").stdout.decode())))
        expect(c[0][-1] == "exit" and [x[-1] for x in c[1:]] == ["3", "", "137", ""],
               f"{args} csv {c}")
        t = [line.split() for line in run(*args, "-i", f"{H}/exit.txt").stdout.decode().splitlines()]
        expect(t[0][-2:] == ["Exit", "Command"] and
               [x[-2] for x in t[1:]] == ["3", "-", "137", "-"], f"{args} table {t}")
    # Export leaves out what the exit record says has exited: the first
    # pid 80 and pid 81.
    out = run("export", "-i", f"{H}/exit.txt").stdout.decode()
    live = sorted((lb["pid"], lb["comm"]) for n, lb, _, _ in prom_parse(out)[0]
                  if n == "taskmonitor_threads")
    expect(live == [("80", "b"), ("82", "live")], f"export {live}")


@test
def export_output_file():
    with tempfile.TemporaryDirectory() as d:
        f = f"{d}/taskmonitor.prom"
        open(f, "w").write("old\n")
        run("export", "-o", f, "-i", f"{H}/reuse.txt")
        expect(os.listdir(d) == ["taskmonitor.prom"], f"left behind: {os.listdir(d)}")
        expect(os.stat(f).st_mode & 0o777 == 0o644, "mode")
        expect(open(f).read() == run("export", "-i", f"{H}/reuse.txt").stdout.decode(),
               "-o FILE differs from stdout")
        # A malformed history leaves the old file as it was, and no temporary.
        run("export", "-o", f, "-i", f"{H}/malformed.txt", rc=1)
        expect(os.listdir(d) == ["taskmonitor.prom"] and open(f).read().startswith("# HELP"),
               "failed export touched the file")
        p = run("export", "-o", f"{d}/no/such/x.prom", "-i", f"{H}/reuse.txt", rc=2)
        expect(f"{d}/no/such".encode() in p.stderr and b"writable directory" in p.stderr,
               p.stderr)
        p = run("export", "--user", "root", "-i", f"{H}/reuse.txt", rc=2)
        expect(b"--user needs a history of this boot" in p.stderr, p.stderr)
        p = run("export", "--user", "no-such-user-x", "-i", f"{H}/reuse.txt", rc=2)
        expect(b"no such user" in p.stderr, p.stderr)
        if not os.path.exists("/sys/module/taskmonitor"):
            # Not loaded: one line, the stale file removed, status 0.
            p = run("export", "-o", f, rc=0)
            expect(not os.path.exists(f) and
                   p.stderr.count(b"\n") == 1 and b"modprobe taskmonitor" in p.stderr,
                   p.stderr)


@test
def export_live_processes():
    # A history of this boot: a live child of ours, and a PID that no
    # process has (past pid_max): /proc says which ones live and whose.
    child = subprocess.Popen(["sleep", "60"])
    try:
        boot = time.time() - time.clock_gettime(time.CLOCK_BOOTTIME)
        now = time.clock_gettime_ns(time.CLOCK_BOOTTIME)
        gone = int(open("/proc/sys/kernel/pid_max").read()) + 1
        hist = "".join(
            f"pid {pid} usr 1000000 sys 0 ts {now} rss 4 vsz 8 minflt 0 majflt 0 "
            f"nvcsw 0 nivcsw 0 threads 1\n" for pid in (child.pid, gone)).encode()
        me = pwd.getpwuid(os.getuid()).pw_name

        def pids(*args):
            out = run("export", "--boot-time", f"{boot:.6f}", *args, "-i", "-",
                      stdin=hist).stdout.decode()
            return {lb["pid"]: lb["comm"] for n, lb, _, _ in prom_parse(out)[0]
                    if n == "taskmonitor_threads"}
        expect(pids() == {str(child.pid): "sleep"}, f"live: {pids()}")
        expect(pids("--user", me) == {str(child.pid): "sleep"}, "--user me")
        other = "nobody" if me != "nobody" else "root"
        expect(pids("--user", other) == {}, f"--user {other}")
    finally:
        child.kill()
        child.wait()


print("\n".join(results))
sys.exit(0)
