#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""prom.py: taskmonitorctl export against Debian's own Prometheus
components, started here on loopback ports chosen here, with their data
in a temporary directory, and stopped at the end:
  check_metrics  promtool check metrics on export's output: nothing to say
  node_exporter  export -o into node_exporter's textfile directory; what
                 node_exporter serves, and what a Prometheus server
                 scraping it every second answers through its HTTP API,
                 equal the newest sample of each process of the input
  backfill       export --history, promtool tsdb create-blocks-from
                 openmetrics, a Prometheus server on the blocks: every
                 sample of the input comes back, and rate() over a window
                 inside the history is the slope of the input's counter
  guest_export   in make check, the file export wrote from the live module
                 in each QEMU guest passes promtool check metrics
The expected values come from the input history, parsed here (a process
is a run of lines of one PID), never from taskmonitorctl.
Usage: prom.py BINARY; prints "TM-RESULT PASS|FAIL ctl/prom/NAME[: why]"."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from tmtest import expect, tester

BIN = sys.argv[1]
HIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "histories", "prom.txt")
TOOLS = {"promtool": "/usr/bin/promtool", "prometheus": "/usr/bin/prometheus",
         "node_exporter": "/usr/bin/prometheus-node-exporter"}
DEADLINE = 60  # seconds a component gets to answer; a limit, not a wait
# The history's ts count from a boot three hours ago: recent enough for a
# Prometheus server's retention, old enough to be all in the past.
BOOT = int(time.time()) - 3 * 3600
results = []

missing = [t for t in TOOLS.values() if not shutil.which(t)]
if missing:
    print(f"TM-RESULT FAIL ctl/prom: {' '.join(missing)} missing: make deps")
    sys.exit(0)


test = tester("ctl/prom", results)


# ---- the input, read independently of taskmonitorctl ----

def unescape_comm(raw):
    return re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)


def label_text(raw):
    """A name's bytes as export documents its label: valid UTF-8 kept,
    any other byte as the four characters \\xHH."""
    out, i = "", 0
    while i < len(raw):
        for n in (4, 3, 2, 1):
            try:
                ch = raw[i:i + n].decode("utf-8")
                if len(ch) == 1 and (n > 1 or raw[i] < 0x80):
                    out += ch
                    i += n
                    break
            except UnicodeDecodeError:
                pass
        else:
            out += f"\\x{raw[i]:02x}"
            i += 1
    return out


def read_history():
    """[(pid, comm, [sample dicts])], one entry per run of one PID."""
    procs, comm_next = [], {}
    for raw in open(HIST, "rb").read().splitlines():
        if raw.startswith(b"# comm "):
            _, _, pid, name = raw.split(b" ", 3)
            comm_next[int(pid)] = unescape_comm(name)
            continue
        if raw.startswith(b"#"):
            continue
        f = raw.split(b" ")
        s = {f[i].decode(): f[i + 1] for i in range(0, len(f) - 1, 2)}
        s = {k: (v if k == "comm" else int(v)) for k, v in s.items()}
        if not procs or procs[-1][0] != s["pid"]:
            comm = s.get("comm", comm_next.pop(s["pid"], b""))
            procs.append((s["pid"], label_text(comm), []))
        procs[-1][2].append(s)
    return procs


PROCS = read_history()


def newest():
    """{(pid, comm): last sample} of the last process of each PID."""
    last = {}
    for pid, comm, samples in PROCS:
        last[pid] = (comm, samples[-1])
    return {(pid, comm): s for pid, (comm, s) in last.items()}


def expected_values(s):
    """{(metric, extra label or None): value} of one sample; the I/O
    family only for a line with rbytes and wbytes."""
    v = {("taskmonitor_cpu_seconds_total", ("mode", "user")): s["usr"] / 1e9,
            ("taskmonitor_cpu_seconds_total", ("mode", "system")): s["sys"] / 1e9,
            ("taskmonitor_resident_memory_bytes", None): s["rss"] * 1024,
            ("taskmonitor_virtual_memory_bytes", None): s["vsz"] * 1024,
            ("taskmonitor_page_faults_total", ("type", "minor")): s["minflt"],
            ("taskmonitor_page_faults_total", ("type", "major")): s["majflt"],
            ("taskmonitor_context_switches_total", ("type", "voluntary")): s["nvcsw"],
            ("taskmonitor_context_switches_total", ("type", "involuntary")): s["nivcsw"],
            ("taskmonitor_threads", None): s["threads"],
            ("taskmonitor_last_sample_timestamp_seconds", None): BOOT + s["ts"] / 1e9}
    if "rbytes" in s and "wbytes" in s:
        v[("taskmonitor_io_bytes_total", ("direction", "read"))] = s["rbytes"]
        v[("taskmonitor_io_bytes_total", ("direction", "write"))] = s["wbytes"]
    return v


def expected_series():
    """{(metric, frozenset(labels)): value} of export's output."""
    want = {}
    for (pid, comm), s in newest().items():
        for (name, extra), v in expected_values(s).items():
            labels = {"pid": str(pid), "comm": comm}
            if extra:
                labels[extra[0]] = extra[1]
            want[(name, frozenset(labels.items()))] = v
    return want


# ---- the components ----

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, cond, proc):
    """Poll COND until it returns something true; fail if PROC exits or
    DEADLINE passes."""
    end = time.monotonic() + DEADLINE
    while True:
        try:
            got = cond()
            if got:
                return got
        except OSError:
            pass
        if proc.poll() is not None:
            with open(proc.log) as log:
                raise AssertionError(f"{what}: exited with {proc.returncode}: "
                                     f"{log.read()[-300:]!r}")
        expect(time.monotonic() < end, f"{what}: no answer in {DEADLINE} s")
        time.sleep(0.1)


class Daemon:
    """A program started on entering the with block, stopped on leaving it."""

    def __init__(self, log, *args):
        self.log, self.args, self.p = log, args, None

    def __enter__(self):
        with open(self.log, "w") as log:
            self.p = subprocess.Popen(self.args, stdout=subprocess.DEVNULL,
                                      stderr=log)
        self.p.log = self.log
        return self.p

    def __exit__(self, *exc):
        self.p.terminate()
        try:
            self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def http_get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def prom_query(port, query, at=None):
    q = {"query": query}
    if at is not None:
        q["time"] = f"{at:.3f}"
    body = json.loads(http_get(f"http://127.0.0.1:{port}/api/v1/query?"
                               + urllib.parse.urlencode(q)))
    expect(body["status"] == "success", f"query {query}: {body}")
    return body["data"]["result"]


def prometheus(tmp, name, scrape_port=None):
    """A Prometheus server with its data in TMP/NAME, scraping
    SCRAPE_PORT every second if given; returns (Daemon, port)."""
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    conf = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
    if scrape_port:
        conf += ("scrape_configs:\n  - job_name: node\n    static_configs:\n"
                 f"      - targets: ['127.0.0.1:{scrape_port}']\n")
    with open(os.path.join(d, "prometheus.yml"), "w") as f:
        f.write(conf)
    port = free_port()
    return Daemon(f"{d}/log", TOOLS["prometheus"], f"--config.file={d}/prometheus.yml",
                  f"--storage.tsdb.path={d}/data",
                  f"--web.listen-address=127.0.0.1:{port}"), port


def run(*args, **kw):
    p = subprocess.run(args, capture_output=True, **kw)
    expect(p.returncode == 0, f"{' '.join(args)}: exit {p.returncode}: "
                              f"{p.stderr.decode(errors='replace')[-300:]}")
    return p


def parse_exposition(text):
    """{(metric, frozenset(labels)): value} of the taskmonitor_ lines."""
    got = {}
    for line in text.splitlines():
        if not line.startswith("taskmonitor_") or line.startswith("taskmonitor_exporter"):
            continue
        m = re.match(r'^(\w+)\{(.*)\} (\S+)$', line)
        expect(m, f"line {line!r}")
        labels = frozenset((k, re.sub(r'\\(.)', lambda x: "\n" if x.group(1) == "n"
                                      else x.group(1), v))
                           for k, v in re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2)))
        got[(m.group(1), labels)] = float(m.group(3))
    return got


def same(got, want):
    expect(set(got) == set(want),
           f"series differ: extra {sorted(set(got) - set(want))[:2]}, "
           f"missing {sorted(set(want) - set(got))[:2]}")
    bad = [(k, got[k], v) for k, v in want.items() if abs(got[k] - v) > 1e-6 + 1e-12 * abs(v)]
    expect(not bad, f"{len(bad)} values differ, e.g. {bad[:2]}")


# ---- the tests ----

@test
def check_metrics():
    out = run(BIN, "export", "--boot-time", str(BOOT), "-i", HIST).stdout
    p = subprocess.run([TOOLS["promtool"], "check", "metrics"], input=out,
                       capture_output=True)
    expect(p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(),
           f"promtool: {p.returncode} {p.stdout!r} {p.stderr!r}")


@test
def node_exporter():
    with tempfile.TemporaryDirectory() as tmp:
        textdir = os.path.join(tmp, "textfile")
        os.mkdir(textdir)
        run(BIN, "export", "--boot-time", str(BOOT), "-i", HIST,
            "-o", os.path.join(textdir, "taskmonitor.prom"))
        want = expected_series()
        ne_port = free_port()
        with Daemon(f"{tmp}/node_exporter.log", TOOLS["node_exporter"], f"--web.listen-address=127.0.0.1:{ne_port}",
                    "--collector.disable-defaults", "--collector.textfile",
                    f"--collector.textfile.directory={textdir}") as ne:
            metrics = wait_for("node_exporter", lambda: http_get(
                f"http://127.0.0.1:{ne_port}/metrics"), ne)
            expect(re.search(r"^node_textfile_scrape_error 0$", metrics, re.M),
                   "node_exporter could not read the file")
            same(parse_exposition(metrics), want)
            server, port = prometheus(tmp, "scraper", ne_port)
            with server as prom:
                n_cpu = sum(1 for k in want if k[0] == "taskmonitor_cpu_seconds_total")
                res = wait_for("prometheus", lambda: (
                    lambda r: r if len(r) == n_cpu else None)(
                    prom_query(port, "taskmonitor_cpu_seconds_total")), prom)
                mem = prom_query(port, '{__name__=~"taskmonitor_(resident|virtual)_memory_bytes"}')
                io_ = prom_query(port, "taskmonitor_io_bytes_total")
        got = {}
        for r in res + mem + io_:
            labels = {k: v for k, v in r["metric"].items()
                      if k not in ("__name__", "job", "instance")}
            got[(r["metric"]["__name__"], frozenset(labels.items()))] = float(r["value"][1])
        # The I/O counters: the byte counts of the input's newest line of
        # each process that has rbytes and wbytes, and no other series.
        n_io = sum(1 for k in want if k[0] == "taskmonitor_io_bytes_total")
        expect(n_io == 2, f"test bug: {n_io} I/O series in the input, wanted 2")
        same(got, {k: v for k, v in want.items()
                   if k[0] in ("taskmonitor_cpu_seconds_total",
                               "taskmonitor_resident_memory_bytes",
                               "taskmonitor_virtual_memory_bytes",
                               "taskmonitor_io_bytes_total")})


@test
def backfill():
    with tempfile.TemporaryDirectory() as tmp:
        om = os.path.join(tmp, "history.om")
        run(BIN, "export", "--history", "--boot-time", str(BOOT), "-i", HIST, "-o", om)
        run(TOOLS["promtool"], "tsdb", "create-blocks-from", "openmetrics", om,
            os.path.join(tmp, "backfill", "data"))
        server, port = prometheus(tmp, "backfill")
        web = [p for p in PROCS if p[0] == 4242][0]
        s = web[2]
        # A 30 s window ending at the 100th sample: the rate is the
        # increase of usr over the samples the window holds, over their
        # time span (Prometheus extrapolates a straight line, so the
        # same); the input's usr goes up by the same step each second.
        end = s[100]
        inside = [x for x in s if end["ts"] - 30e9 < x["ts"] <= end["ts"]]
        slope = ((inside[-1]["usr"] - inside[0]["usr"]) /
                 (inside[-1]["ts"] - inside[0]["ts"]))
        at = BOOT + end["ts"] / 1e9
        # The written bytes of pid 31337, which alone has the I/O keys:
        # their increase over a 20 s window ending at its 20th sample,
        # from the input's numbers.
        io_s = [p for p in PROCS if p[0] == 31337][0][2]
        io_end = io_s[20]
        io_in = [x for x in io_s if io_end["ts"] - 20e9 < x["ts"] <= io_end["ts"]]
        io_slope = ((io_in[-1]["wbytes"] - io_in[0]["wbytes"]) /
                    ((io_in[-1]["ts"] - io_in[0]["ts"]) / 1e9))
        with server as prom:
            sel = f'{{pid="4242",comm="{web[1]}",mode="user"}}'
            res = wait_for("prometheus", lambda: prom_query(
                port, f"rate(taskmonitor_cpu_seconds_total{sel}[30s])", at), prom)
            io_rate = prom_query(
                port, 'rate(taskmonitor_io_bytes_total{pid="31337",direction="write"}[20s])',
                BOOT + io_end["ts"] / 1e9)
            raw = {}
            for pid, comm, _ in PROCS:
                r = prom_query(port, f'taskmonitor_resident_memory_bytes{{pid="{pid}"}}[10m]',
                               BOOT + 1200)
                raw[pid] = {x["metric"]["comm"]: x["values"] for x in r}
        rate = float(res[0]["value"][1])
        expect(len(res) == 1 and abs(rate - slope) < 1e-6, f"rate {rate}, wanted {slope}")
        got = float(io_rate[0]["value"][1]) if len(io_rate) == 1 else None
        expect(got is not None and abs(got - io_slope) < 1e-6 * io_slope,
               f"rate of written bytes {io_rate}, wanted {io_slope} B/s")
        # Every sample of the input, per series (PID and name): time in
        # ms and RSS in bytes.
        for pid, comm, samples in PROCS:
            pts = [(int(x[0] * 1000 + 0.5), float(x[1])) for x in raw[pid].get(comm, [])]
            want = sorted({(BOOT * 1000 + x["ts"] // 1000000, x["rss"] * 1024.0)
                           for p2, c2, ss in PROCS if p2 == pid and c2 == comm for x in ss})
            expect(pts == want, f"pid {pid} {comm!r}: {len(pts)} samples, wanted "
                                f"{len(want)}: {pts[:2]} vs {want[:2]}")


# ---- the files export wrote in the QEMU guests of this make check ----

# The guest suite ctl/test_ctl_export_live prints the file it exported,
# each line prefixed with "TM-EXPORT ", to its serial log; make check
# boots the guests before this stage.  Each kernel whose boot stage
# passed that test must have left the file, and promtool must accept it.
# Run alone (no boot stage in build/results), there is nothing to check.
TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
BOOT_RESULTS = os.path.join(TOP, "build", "results", "boot.txt")
GUEST_TEST = "/ctl/test_ctl_export_live"


def guest_exports():
    kvers = []
    with open(BOOT_RESULTS, encoding="utf-8", errors="replace") as f:
        for line in f:
            words = line.split()
            if words[1:2] == ["PASS"] and words[2].endswith(GUEST_TEST):
                kvers.append(words[2][:-len(GUEST_TEST)])
    files = {}
    for kver in kvers:
        log = os.path.join(TOP, "build", "logs", kver + ".log")
        with open(log, "rb") as f:
            files[kver] = b"".join(line[len(b"TM-EXPORT "):].replace(b"\r\n", b"\n")
                                   for line in f if line.startswith(b"TM-EXPORT "))
    return files


if os.path.exists(BOOT_RESULTS):
    @test
    def guest_export():
        files = guest_exports()
        expect(files, f"no kernel passed {GUEST_TEST[1:]} in {BOOT_RESULTS}")
        for kver, text in files.items():
            expect(b"taskmonitor_threads{" in text, f"{kver}: no exported file in its serial log")
            p = subprocess.run([TOOLS["promtool"], "check", "metrics"], input=text,
                               capture_output=True)
            expect(p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(),
                   f"{kver}: promtool: {p.returncode} {p.stdout!r} {p.stderr!r}")


print("\n".join(results))
sys.exit(0)
