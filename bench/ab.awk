# SPDX-License-Identifier: GPL-2.0
#
# ab.awk: the table of an A/B run of module builds (bench/run.sh --ab)
# from its "TM-BENCH" lines: for each N and build, the module's CPU time
# per task-sample and per sweep (median [min-max] over the repeats), and
# its ratio to the first build, taken repeat by repeat (the builds of
# one repeat ran back to back).
#
#   awk -f bench/lib.awk -f bench/ab.awk -v kernel=K -v accel=A -v date=D RAW

# med_range LIST FMT: "median [min-max]" of a space-separated list.
function med_range(list, fmt,    a, n, med) {
	n = split(list, a, " ")
	if (!n)
		return "n/a"
	sort_n(a, n)
	med = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	return sprintf(fmt " [" fmt "-" fmt "]", med, a[1], a[n])
}

{
	sub(/\r$/, "")
	if ($1 != "TM-BENCH")
		next
	what = kvs($0)
	if (what == "env") {
		cs = V["clocksource"] (V["tsc_reliable"] > 0 ? " (tsc=reliable)" : "")
	} else if (what == "clocksource") {
		if (V["now"] != substr(cs, 1, length(V["now"])))
			cs = cs ", " V["now"] " by the end"
	} else if (what == "wake") {
		if (V["runs"] > 0)
			wake[V["variant"]] = wake[V["variant"]] " " V["cpu_ns"] / V["runs"]
	} else if (what == "cost" && V["variant"] != "") {
		b = V["variant"]
		if (!(b in seen_b)) {
			seen_b[b] = 1
			builds[++nb] = b
		}
		if (!(V["n"] in seen_n)) {
			seen_n[V["n"]] = 1
			ns[++nn] = V["n"]
		}
		per = V["cpu_ns"] / V["samples"]
		cost[V["n"], b] = cost[V["n"], b] " " per
		sweep[V["n"], b] = sweep[V["n"], b] " " V["cpu_ns"] / (V["samples"] / V["n"])
		one[V["n"], b, V["rep"]] = per
		if (V["rep"] > reps)
			reps = V["rep"]
	}
}

END {
	sort_n(ns, nn)
	printf "taskmonitor A/B: kernel %s, accelerator %s, %s\n", kernel, accel, date
	printf "clocksource: %s; interval 10 ms; %d repeats, builds interleaved; first build: %s\n\n",
		cs, reps, builds[1]
	print "kthread wake-up with sampling paused and no task (ns of CPU per wake-up):"
	for (j = 1; j <= nb; j++)
		printf "  %-8s %s\n", builds[j], med_range(wake[builds[j]], "%.0f")
	print ""
	printf "| %5s | %-8s | %-28s | %-30s | %-22s |\n", "N", "build",
		"ns per task-sample", "ns per sweep", "vs " builds[1]
	printf "|------:|----------|------------------------------|--------------------------------|------------------------|\n"
	for (i = 1; i <= nn; i++) {
		n = ns[i]
		for (j = 1; j <= nb; j++) {
			b = builds[j]
			rl = ""
			for (r = 1; r <= reps; r++)
				if (one[n, builds[1], r] > 0 && one[n, b, r] != "")
					rl = rl " " one[n, b, r] / one[n, builds[1], r]
			printf "| %5d | %-8s | %-28s | %-30s | %-22s |\n", n, b,
				med_range(cost[n, b], "%.0f"), med_range(sweep[n, b], "%.0f"),
				(j == 1 ? "-" : med_range(rl, "%.3f"))
		}
	}
}
