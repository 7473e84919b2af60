# SPDX-License-Identifier: GPL-2.0
#
# report.awk: turn the "TM-BENCH what key=value..." lines of one guest
# run into the benchmark table (stdout) and the data files gnuplot draws
# (in the directory given as -v dat=DIR: cost.dat, gaps-<ms>.dat).
#
#   awk -f bench/lib.awk -f bench/report.awk -v kernel=K -v accel=A -v date=D -v commit=C \
#       -v dat=DIR RAW
#
# Medians over the repeats, with [min-max] to show the noise; ratios are
# taken repeat by repeat (the measurements of one repeat ran back to back),
# then summarised the same way.

function stats(list,    a, n, med) {
	n = split(list, a, " ")
	if (!n)
		return ""
	sort_n(a, n)
	med = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	return med " " a[1] " " a[n]
}

# fmt_ns NS: a time with a sensible unit.
function fmt_ns(ns) {
	if (ns == "")
		return "-"
	if (ns >= 1e9)
		return sprintf("%.2f s", ns / 1e9)
	if (ns >= 1e6)
		return sprintf("%.2f ms", ns / 1e6)
	if (ns >= 1e3)
		return sprintf("%.2f us", ns / 1e3)
	return sprintf("%.0f ns", ns)
}

function fmt_num(x) {
	if (x >= 100)
		return sprintf("%.0f", x)
	if (x >= 10)
		return sprintf("%.1f", x)
	return sprintf("%.2f", x)
}

# med_range LIST FMT: "median [min-max]" of LIST, each through fmt.
function med_range(list, kind,    s, p) {
	s = stats(list)
	if (s == "")
		return "n/a"
	split(s, p, " ")
	if (kind == "ns")
		return fmt_ns(p[1]) " [" fmt_ns(p[2]) "-" fmt_ns(p[3]) "]"
	return fmt_num(p[1]) "x [" fmt_num(p[2]) "-" fmt_num(p[3]) "]"
}

function median(list,    p) {
	split(stats(list), p, " ")
	return p[1]
}

{
	sub(/\r$/, "")
	if ($1 != "TM-BENCH")
		next
	what = kvs($0)
	if (what == "env") {
		guest_kernel = V["kernel"]
		guest_cpus = V["cpus"]
		guest_mem = V["mem_kb"]
		mode = V["mode"]
		cs_start = V["clocksource"]
		cs_reliable = V["tsc_reliable"]
	} else if (what == "clocksource") {
		# The clocksource at the end of each test, and how often the
		# watchdog had called one unstable by then.
		if (V["now"] != cs_start && cs_start != "")
			cs_changed = cs_changed (cs_changed == "" ? "" : ", ") V["now"] " by the end of " V["test"]
		if (V["unstable"] > 0)
			cs_unstable = V["unstable"]
	} else if (what == "cost") {
		k = V["tool"] SUBSEP V["n"] SUBSEP V["interval_ms"]
		per = V["cpu_ns"] / V["samples"]
		cost[k] = cost[k] " " per
		one[V["tool"], V["n"], V["interval_ms"], V["rep"]] = per
		nsamp[k] += V["samples"]
		if (!(V["n"] in seen_n)) {
			seen_n[V["n"]] = 1
			ns[++nn] = V["n"]
		}
		if (V["rep"] > reps)
			reps = V["rep"]
	} else if (what == "read") {
		k = V["samples"] SUBSEP V["src"]
		rd_ns[k] = rd_ns[k] " " V["ns"]
		rd_bytes[V["samples"]] = V["bytes"]
		if (V["rep"] > reps)
			reps = V["rep"]
		if (!(V["samples"] in seen_s)) {
			seen_s[V["samples"]] = 1
			sizes[++nsz] = V["samples"]
		}
	} else if (what == "mem") {
		for (x in V)
			M[x] = V[x]
		have_mem = 1
	} else if (what == "reclaim") {
		for (x in V)
			R[x] = V[x]
		have_reclaim = 1
	} else if (what == "gaps") {
		iv = V["interval_ms"]
		ivs[++niv] = iv
		for (x in V)
			G[iv, x] = V[x]
	} else if (what == "follow") {
		# The reader's CPU time per new sample it gets: each line of
		# the follower; one per process per pass of the re-reader.
		fl_tasks = V["tasks"]
		fl_hist = V["history"]
		if (V["how"] == "follow") {
			fl_per[V["rep"]] = V["cpu_ns"] / V["lines"]
			fl_f = fl_f " " fl_per[V["rep"]]
			fl_lost += V["lost"]
			fl_lines += V["lines"]
		} else {
			fl_pass = fl_pass " " V["cpu_ns"] / V["passes"]
			fr_per[V["rep"]] = V["cpu_ns"] / (V["passes"] * V["tasks"])
			fl_r = fl_r " " fr_per[V["rep"]]
		}
		if (V["rep"] > reps)
			reps = V["rep"]
	} else if (what == "forkcost") {
		# CPU time per pair, of all threads and of each kind.
		v = V["variant"]
		r = V["rep"]
		fk_pairs = V["pairs"]
		split("cpu self kids kworker sampler other", fk_kinds, " ")
		for (j = 1; j <= 6; j++)
			fk[v, fk_kinds[j], r] = V[fk_kinds[j] "_ns"] / V["pairs"]
		fk_reps[r] = 1
		if (v == "c") {
			fk_rec += V["recorded"]
			fk_forked += V["pairs"]
			fk_drop += V["dropped"]
		}
		if (r > reps)
			reps = r
	} else if (what == "storm") {
		for (x in V)
			S[x] = V[x]
		have_storm = 1
	} else if (what == "gaphist") {
		f = dat "/gaps-" V["interval_ms"] ".dat"
		hist_total[V["interval_ms"]] += V["count"]
		hist_us[V["interval_ms"], ++hist_n[V["interval_ms"]]] = V["us"]
		hist_c[V["interval_ms"], hist_n[V["interval_ms"]]] = V["count"]
	}
}

# section_cost: section 1, the table of monitoring costs and its goals.
function section_cost(    ii, iv, i, n, r, m, rp, rq, lo, hi, a, b, c) {
	print "1. Monitoring cost: CPU time per task-sample (ns of CPU / samples taken)"
	printf "| %5s | %8s | %-26s | %-26s | %-26s | %-22s | %-22s |\n", "N", "interval",
		"module kthread", "pidstat", "/proc poller", "pidstat / module", "poller / module"
	printf "|------:|---------:|----------------------------|----------------------------|----------------------------|------------------------|------------------------|\n"
	if (dat != "")
		printf "# N interval_ms module min max pidstat min max poller min max\n" >(dat "/cost.dat")
	for (ii = 1; ii <= 2; ii++) {
		iv = ii == 1 ? 1000 : 10
		for (i = 1; i <= nn; i++) {
			n = ns[i]
			if (!((("module") SUBSEP n SUBSEP iv) in cost))
				continue
			rp = ""
			rq = ""
			for (r = 1; r <= reps; r++) {
				m = one["module", n, iv, r]
				if (m > 0 && one["pidstat", n, iv, r] != "")
					rp = rp " " one["pidstat", n, iv, r] / m
				if (m > 0 && one["poller", n, iv, r] != "")
					rq = rq " " one["poller", n, iv, r] / m
			}
			printf "| %5d | %8s | %-26s | %-26s | %-26s | %-22s | %-22s |\n", n,
				(iv >= 1000 ? iv / 1000 " s" : iv " ms"),
				med_range(cost["module", n, iv], "ns"),
				(iv >= 1000 ? med_range(cost["pidstat", n, iv], "ns") : "n/a (whole seconds only)"),
				med_range(cost["poller", n, iv], "ns"),
				(iv >= 1000 ? med_range(rp, "x") : "n/a"),
				med_range(rq, "x")
			ratio_p[n, iv] = median(rp)
			ratio_q[n, iv] = median(rq)
			mod_med[n, iv] = median(cost["module", n, iv])
			if (dat != "") {
				split(stats(cost["module", n, iv]), a, " ")
				split(stats(cost["pidstat", n, iv]), b, " ")
				split(stats(cost["poller", n, iv]), c, " ")
				printf "%d %d %s %s %s %s %s %s %s %s %s\n", n, iv, a[1], a[2], a[3],
					b[1] == "" ? "NaN" : b[1], b[2] == "" ? "NaN" : b[2], b[3] == "" ? "NaN" : b[3],
					c[1], c[2], c[3] >(dat "/cost.dat")
			}
		}
	}
	if (dat != "")
		close(dat "/cost.dat")
	print ""
	for (ii = 1; ii <= 2; ii++) {
		iv = ii == 1 ? 1000 : 10
		lo = ""
		hi = ""
		for (i = 1; i <= nn; i++) {
			n = ns[i]
			if (n < 100 || mod_med[n, iv] == "")
				continue
			if (lo == "" || mod_med[n, iv] < lo)
				lo = mod_med[n, iv]
			if (hi == "" || mod_med[n, iv] > hi)
				hi = mod_med[n, iv]
		}
		if (lo != "")
			printf "module flatness at %s, N=100..%d: max/min of the medians = %.2fx (goal <= 1.5x)\n",
				(iv >= 1000 ? "1 s" : "10 ms"), ns[nn], hi / lo
	}
	if (ratio_p[1000, 1000] != "")
		printf "at N=1000: pidstat/module = %sx (goal >= 150x); poller/module = %sx at 1 s, %sx at 10 ms (goal >= 35x)\n",
			fmt_num(ratio_p[1000, 1000]), fmt_num(ratio_q[1000, 1000]), fmt_num(ratio_q[1000, 10])
	print ""
}

# fk_list VARIANT KIND [MINUS]: per-pair CPU of KIND in VARIANT, one per
# repeat, less MINUS's of the same repeat if given.
function fk_list(v, kind, minus,    r, l) {
	l = ""
	for (r in fk_reps)
		if ((v, kind, r) in fk && (minus == "" || (minus, kind, r) in fk))
			l = l " " (fk[v, kind, r] - (minus == "" ? 0 : fk[minus, kind, r]))
	return l
}

function fmt_int(x) {
	return sprintf("%.0f", x)
}

# med_int LIST: "median [min-max]", whole instructions or ns.
function med_int(list,    p) {
	if (stats(list) == "")
		return "n/a"
	split(stats(list), p, " ")
	return fmt_int(p[1]) " [" fmt_int(p[2]) ".." fmt_int(p[3]) "]"
}

# section_fork: section 7, a fork + exit's cost and the storm.
function section_fork(    a, noise, d, met, j, row) {
	print "7. Fork and exit: CPU time of every thread of the system per fork + exit pair (" fk_pairs " pairs, median [min..max] of " reps ")"
	printf "| %-60s | %-28s | %-18s | %-5s |\n", "variant", "per pair (ns of CPU)", "goal", "met?"
	printf "|--------------------------------------------------------------|------------------------------|--------------------|-------|\n"
	printf "| %-60s | %-28s | %-18s | %-5s |\n", "a: module not loaded", med_int(fk_list("a", "cpu")), "-", "-"
	printf "| %-60s | %-28s | %-18s | %-5s |\n", "b: loaded, sampling every 10 ms, nothing followed", med_int(fk_list("b", "cpu")), "-", "-"
	printf "| %-60s | %-28s | %-18s | %-5s |\n", "c: the forker followed (\"+PID\"), no follow-mode reader", med_int(fk_list("c", "cpu")), "-", "-"
	split(stats(fk_list("a", "cpu")), a, " ")
	noise = a[3] - a[2]
	d = median(fk_list("b", "cpu", "a"))
	met = (d <= noise && -d <= noise) ? "yes" : "no"
	printf "| %-60s | %-28s | %-18s | %-5s |\n", "b - a, repeat by repeat", med_int(fk_list("b", "cpu", "a")),
		"within a's spread", met
	d = median(fk_list("c", "cpu", "a"))
	printf "| %-60s | %-28s | %-18s | %-5s |\n", "c - a, repeat by repeat", med_int(fk_list("c", "cpu", "a")),
		"<= 2000", (d <= 2000 ? "yes" : "no")
	printf "(a's spread over the repeats, the noise: %s per pair)\n", fmt_int(noise)
	print "where the difference goes, median per pair:"
	printf "| %-6s | %9s | %9s | %9s | %9s | %9s |\n", "", "forker", "children", "kworkers", "sampler", "other"
	printf "|--------|----------:|----------:|----------:|----------:|----------:|\n"
	split("b c", row, " ")
	for (j = 1; j <= 2; j++)
		printf "| %-6s | %9s | %9s | %9s | %9s | %9s |\n", row[j] " - a",
			fmt_int(median(fk_list(row[j], "self", "a"))), fmt_int(median(fk_list(row[j], "kids", "a"))),
			fmt_int(median(fk_list(row[j], "kworker", "a"))), fmt_int(median(fk_list(row[j], "sampler", "a"))),
			fmt_int(median(fk_list(row[j], "other", "a")))
	printf "(variant c: %d of the %d children forked had their exit record in the history; taskmonitor_follow_dropped %d)\n",
		fk_rec, fk_forked, fk_drop
	print ""
}

function section_storm(    n) {
	n = S["children"]
	print "7. Fork storm: " n " children of a followed forker, child i exiting at once with status i % 256"
	printf "(a child's life, from before its fork to its exit seen by waitid(): median %s, longest %s; the storm took %s)\n",
		fmt_ns(S["life_p50_ns"]), fmt_ns(S["life_max_ns"]), fmt_ns(S["wall_ns"])
	printf "| %-72s | %8s | %8s |\n", "watcher", "saw", "of " n
	printf "|--------------------------------------------------------------------------|---------:|---------:|\n"
	printf "| %-72s | %8d | %7.1f%% |\n", "taskmonitor: a history ending in an exit record with the chosen status", S["taskmonitor"], 100 * S["taskmonitor"] / n
	printf "| %-72s | %8d | %7.1f%% |\n", "pidstat -u 1: the child's PID in a report", S["pidstat"], 100 * S["pidstat"] / n
	printf "| %-72s | %8d | %7.1f%% |\n", sprintf("/proc poller, every PID in /proc every 10 ms (%d sweeps): read once", S["poller_sweeps"]), S["poller"], 100 * S["poller"] / n
	printf "goal: %d histories, each with its exit record: %s (listed %d; taskmonitor_follow_dropped %d; statuses not as chosen by waitpid(): %d)\n",
		n, (S["taskmonitor"] == n ? "met" : "missed"), S["listed"], S["dropped"], S["bad"]
	print ""
}

END {
	sort_n(ns, nn)
	sort_n(sizes, nsz)
	printf "taskmonitor bench: kernel %s, accelerator %s, %s, commit %s\n", kernel, accel, date, commit
	printf "guest: %s CPUs, %d MiB; every figure is a median of %d runs [min-max]%s\n",
		guest_cpus, guest_mem / 1024, reps, (mode == "smoke" ? " (SMOKE RUN: tiny sizes, not a measurement)" : "")
	if (accel ~ /icount/)
		print "under -icount shift=0 the guest's clock counts instructions: every time below is a number of guest instructions (1 ns = 1 instruction, 1 us = 1000)"
	printf "clocksource: %s%s%s%s\n\n", (cs_start == "" ? "not recorded" : cs_start),
		(cs_reliable > 0 ? " (booted with tsc=reliable)" : ""),
		(cs_changed != "" ? "; CHANGED to " cs_changed " (figures after the switch are inflated)" : ", kept to the end"),
		(cs_unstable > 0 ? "; the kernel log has " cs_unstable " 'unstable' clocksource message(s)" : "")

	# bench/run.sh --history measures no cost: no section 1 then.
	if (nn)
		section_cost()

	if (have_mem) {
		slab_obj = 4096 * M["pages"] / M["perslab"]
		k_obj = 4096 * M["k_pages"] / M["k_perslab"]
		print "2. Memory per stored sample (" M["samples"] " samples of " M["tasks"] " processes)"
		printf "| %-58s | %12s |\n", "measure", "bytes/sample"
		printf "|------------------------------------------------------------|-------------:|\n"
		printf "| %-58s | %12d |\n", "struct task_sample (objsize in /proc/slabinfo)", M["objsize"]
		printf "| %-58s | %12.1f |\n", sprintf("task_sample slab: %d pages / %d objects per slab", M["pages"], M["perslab"]), slab_obj
		printf "| %-58s | %12.1f |\n", sprintf("task_sample slab pages / live samples (%d slabs)", M["slabs"]), M["slabs"] * M["pages"] * 4096 / M["samples"]
		printf "| %-58s | %12.1f |\n", "all-in: growth of all slab memory / live samples", (M["slab_after"] - M["slab_before"]) / M["samples"]
		printf "| %-58s | %12d |\n", sprintf("kmalloc() of the same struct: ksize = %s objsize", M["kmalloc"]), M["k_objsize"]
		printf "| %-58s | %12.1f |\n", sprintf("%s slab: %d pages / %d objects per slab", M["kmalloc"], M["k_pages"], M["k_perslab"]), k_obj
		print ""
	}

	if (nsz) {
		print "3. Reading the whole history (128 KiB read()s; tmpfs = the same bytes in a tmpfs file)"
		printf "| %9s | %9s | %-7s | %-22s | %11s | %8s | %-16s | %-11s |\n", "samples", "MB", "file",
			"time", "samples/s", "MB/s", "vs tmpfs", "vs 10x less"
		printf "|----------:|----------:|---------|------------------------|------------:|---------:|------------------|-------------|\n"
		for (i = 1; i <= nsz; i++) {
			s = sizes[i]
			tm = median(rd_ns[s, "tmpfs"])
			split("debugfs dev tmpfs", srcs, " ")
			for (j = 1; j <= 3; j++) {
				src = srcs[j]
				t = median(rd_ns[s, src])
				growth = "-"
				if (i > 1 && median(rd_ns[sizes[i - 1], src]) > 0)
					growth = sprintf("%.1fx for %.0fx", t / median(rd_ns[sizes[i - 1], src]), s / sizes[i - 1])
				vt = "-"
				if (src != "tmpfs") {
					vr = ""
					split(rd_ns[s, src], xa, " ")
					split(rd_ns[s, "tmpfs"], xb, " ")
					for (r = 1; r in xa && r in xb; r++)
						vr = vr " " xa[r] / xb[r]
					vt = med_range(vr, "x")
				}
				printf "| %9d | %9.1f | %-7s | %-22s | %11.0f | %8.1f | %-16s | %-11s |\n", s,
					rd_bytes[s] / 1e6, (src == "dev" ? "/dev" : src),
					med_range(rd_ns[s, src], "ns"), s / (t / 1e9), rd_bytes[s] / 1e6 / (t / 1e9), vt, growth
			}
		}
		print ""
	}

	if (niv) {
		print "4. Timeliness: gaps between consecutive ts of a task"
		printf "| %8s | %5s | %8s | %-19s | %9s | %9s | %9s | %6s | %-34s | %-19s | %-30s |\n", "interval", "tasks",
			"gaps", "mean (vs interval)", "p50", "p99", "max", "late", "mean per sixth of the run",
			"on-time mean", "phase per sixth (drift)"
		printf "|---------:|------:|---------:|---------------------|----------:|----------:|----------:|-------:|------------------------------------|---------------------|--------------------------------|\n"
		for (i = 1; i <= niv; i++) {
			iv = ivs[i]
			ivn = iv * 1e6
			segs = ""
			smin = ""
			smax = ""
			pmin = ""
			pmax = ""
			for (j = 1; j <= 6; j++) {
				v = G[iv, "seg" j]
				if (v != "" && v != 0) {
					if (smin == "" || v < smin)
						smin = v
					if (smax == "" || v > smax)
						smax = v
				}
				v = G[iv, "ph" j]
				if (v != "") {
					if (pmin == "" || v < pmin)
						pmin = v
					if (pmax == "" || v > pmax)
						pmax = v
				}
			}
			printf "| %8s | %5d | %8d | %-19s | %9s | %9s | %9s | %6d | %-34s | %-19s | %-30s |\n", iv " ms",
				G[iv, "tasks"], G[iv, "gaps"],
				sprintf("%s (%+.2f%%)", fmt_ns(G[iv, "mean"]), (G[iv, "mean"] - ivn) * 100 / ivn),
				fmt_ns(G[iv, "p50"]), fmt_ns(G[iv, "p99"]), fmt_ns(G[iv, "max"]), G[iv, "late"],
				sprintf("%s..%s (spread %.2f%%)", fmt_ns(smin), fmt_ns(smax), (smax - smin) * 100 / ivn),
				(G[iv, "ontime"] == "" ? "-" : sprintf("%s (%+.3f%%)", fmt_ns(G[iv, "ontime"]), (G[iv, "ontime"] - ivn) * 100 / ivn)),
				(pmin == "" ? "-" : sprintf("%+.1f..%+.1f us", pmin / 1e3, pmax / 1e3))
			if (dat != "") {
				f = dat "/gaps-" iv ".dat"
				printf "# gap/interval fraction_of_gaps (bins of interval/50; last bin: all >= 3 intervals)\n" >f
				for (j = 1; j <= hist_n[iv]; j++)
					printf "%.4f %.8f\n", hist_us[iv, j] * 1000 / ivn,
						(hist_total[iv] ? hist_c[iv, j] / hist_total[iv] : 0) >f
				close(f)
			}
		}
		print "(late: gaps over 1.5 intervals, i.e. a missed deadline; on-time mean: mean of the other gaps;"
		print " phase: median offset of the on-time samples from their task's grid of deadlines, per sixth)"
		print ""
	}

	if (fl_f != "" && fl_r != "") {
		print "6. Getting the new samples: following vs re-reading the whole history (" fl_tasks " processes every 10 ms, " fl_hist " samples kept)"
		fl_x = ""
		for (r in fl_per)
			if (r in fr_per)
				fl_x = fl_x " " fr_per[r] / fl_per[r]
		printf "| %-44s | %-34s | %-34s |\n", "reader", "CPU per new sample", "CPU per read of it all"
		printf "|----------------------------------------------|------------------------------------|------------------------------------|\n"
		printf "| %-44s | %-34s | %-34s |\n", "follower (\"follow\", blocking reads)", med_range(fl_f, "ns"), "-"
		printf "| %-44s | %-34s | %-34s |\n", "re-reader (whole history once per interval)", med_range(fl_r, "ns"), med_range(fl_pass, "ns")
		printf "| %-44s | %-34s | %-34s |\n", "re-reader / follower (goal: at least 10x)", med_range(fl_x, "x"), "-"
		printf "(the follower got %d lines, %d of them reported lost; a re-read gives one new sample per process)\n", fl_lines, fl_lost
		print ""
	}

	if (have_reclaim) {
		print "5. Reclaim: one 'echo 2 > /proc/sys/vm/drop_caches'"
		freed_slab = (R["b_slabs"] - R["a_slabs"]) * R["b_pages"] * 4096
		printf "| %9s | %9s | %-28s | %-22s | %10s |\n", "samples", "left", "task_sample slab MB", "MemFree gain", "time"
		printf "|----------:|----------:|------------------------------|------------------------|-----------:|\n"
		printf "| %9d | %9d | %-28s | %-22s | %10s |\n", R["samples"], R["left"],
			sprintf("%.1f -> %.1f (-%.1f)", R["b_slabs"] * R["b_pages"] * 4096 / 1e6,
				R["a_slabs"] * R["a_pages"] * 4096 / 1e6, freed_slab / 1e6),
			sprintf("%.1f MB", (R["memfree1_kb"] - R["memfree0_kb"]) * 1024 / 1e6),
			fmt_ns(R["ns"])
		print ""
	}

	if (fk_pairs)
		section_fork()
	if (have_storm)
		section_storm()
}
