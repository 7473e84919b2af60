# SPDX-License-Identifier: GPL-2.0
#
# lib.awk: what bench/report.awk and bench/ab.awk share; loaded before
# either (awk -f bench/lib.awk -f bench/report.awk ...).

# kvs LINE: the word after "TM-BENCH" in LINE; its key=value words in V.
function kvs(line,    i, n, f, a) {
	delete V
	n = split(line, f, " ")
	for (i = 3; i <= n; i++) {
		if (split(f[i], a, "=") == 2)
			V[a[1]] = a[2]
	}
	return f[2]
}

# sort_n ARR N: sorts ARR[1..N] numerically, in place.
function sort_n(arr, n,    i, j, t) {
	for (i = 2; i <= n; i++) {
		t = arr[i]
		for (j = i - 1; j >= 1 && arr[j] > t; j--)
			arr[j + 1] = arr[j]
		arr[j + 1] = t
	}
}
