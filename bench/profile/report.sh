#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/profile/report.sh LOG DIR: the tables of make bench-profile, from
# the guest's serial log LOG (its PROF-MARK and PROF-SYM lines) and the
# plugin's snapshots DIR/snap.0, DIR/snap.1, ... (one per mark, in order).
# For each window (from one mark to the next), every block that ran is
# charged to the symbol at or below its address (user space as one
# "[user]"), per unit of the window's work; a block at a symbol's very
# address is a call of it.  Windows of the same label are summed.  With
# windows "b" and "c" (forks + exits with the module loaded, without and
# with following), also their difference per pair.
set -euo pipefail
log=$1
dir=$2
top=${PROF_TOP:-30}

# marks: "INDEX LABEL UNITS SYMBLOCK" (units counted after the window
# come in a PROF-UNITS line); syms.B: "ADDR NAME" of the B-th dump of the
# symbols (a window's are in the dump that follows it).
tr -d '\r' <"$log" | awk -v dir="$dir" '
	BEGIN { n = 0; blocks = 0 }
	/^PROF-MARK / { label[n] = $2; units[n] = $3; block[n++] = blocks; next }
	/^PROF-UNITS / { for (i = 0; i < n; i++) if (label[i] == $2) units[i] = $3; next }
	/^PROF-SYMS$/ { file = dir "/syms." blocks++; next }
	/^PROF-SYM / && file != "" {
		name = $4
		if ($5 != "") name = name $5
		print $2, name > file
	}
	END { for (i = 0; i < n; i++) print i, label[i], units[i], block[i] > (dir "/marks") }'
[ -s "$dir/marks" ] || { echo "profile: no marks in $log" >&2; exit 1; }

# window PREV CUR SYMS: "NAME INSTRUCTIONS CALLS" between two snapshots
# (a block translated more than once has a line for each translation).
window() {
	awk 'FNR == NR { had[$1 " " $2] += $3; next }
	{ now[$1 " " $2] += $3 }
	END {
		for (k in now)
			if (now[k] > had[k]) { split(k, b, " "); print b[1], 1, b[2], now[k] - had[k] }
	}' "$1" "$2" |
		cat - <(awk '{ print $1, 0, $2 }' "$3") |
		sort -k1,1 -k2,2n |
		awk '$2 == 0 { sym = $3; at = $1; next }
		{
			name = substr($1, 1, 4) == "ffff" && sym != "" ? sym : "[user]"
			insns[name] += $3 * $4
			if ($1 == at) calls[name] += $4
		}
		END { for (f in insns) print f, insns[f], calls[f] + 0 }'
}

# table LABEL UNITS FILE: the functions by instructions per unit.
table() {
	awk -v label="$1" -v units="$2" -v top="$top" '
	{ total += $2 }
	$1 ~ /\[taskmonitor\]$/ { own += $2 }
	END {
		printf "%s: %.0f instructions per unit (%d units), %.0f of them in the module\x27s own functions; top %d functions\n",
			label, total / units, units, own / units, top
		printf "%-44s %12s %10s\n", "function", "insns/unit", "calls/unit"
	}' "$3"
	sort -k2,2nr "$3" |
		awk -v units="$2" -v top="$top" 'NR <= top { printf "%-44s %12.1f %10.2f\n", $1, $2 / units, $3 / units }'
	echo
}

labels=()
while read -r i label units block; do
	[ "$label" != start ] || continue
	if [ "$units" -le 0 ] || [ ! -s "$dir/syms.$block" ]; then
		continue
	fi
	window "$dir/snap.$((i - 1))" "$dir/snap.$i" "$dir/syms.$block" >"$dir/funcs.$label.$i"
	echo "$units" >"$dir/units.$label.$i"
	[[ " ${labels[*]} " == *" $label "* ]] || labels+=("$label")
done <"$dir/marks"

# A label's windows summed: FILE "NAME INSTRUCTIONS CALLS", its units,
# and each window's instructions per unit, to show their spread.
for label in "${labels[@]}"; do
	cat "$dir/funcs.$label".* |
		awk '{ i[$1] += $2; c[$1] += $3 } END { for (f in i) print f, i[f], c[f] }' >"$dir/funcs.$label"
	cat "$dir/units.$label".* | awk '{ s += $1 } END { print s }' >"$dir/units.$label"
	spread=
	for f in "$dir/funcs.$label".*; do
		spread+=$(awk -v u="$(cat "${f/funcs./units.}")" '{ s += $2 } END { printf " %.0f", s / u }' "$f")
	done
	echo "$label: instructions per unit in each window:$spread"
	table "$label" "$(cat "$dir/units.$label")" "$dir/funcs.$label"
done

if [ -s "$dir/funcs.b" ] && [ -s "$dir/funcs.c" ]; then
	awk -v ua="$(cat "$dir/units.b")" -v uc="$(cat "$dir/units.c")" '
	FNR == NR { a[$1] = $2 / ua; next }
	{ c[$1] = $2 / uc }
	END {
		for (f in a) d[f] = -a[f]
		for (f in c) d[f] += c[f]
		for (f in d) { printf "%s %.1f\n", f, d[f]; sum += d[f] }
		printf "TOTAL %.1f\n", sum
	}' "$dir/funcs.b" "$dir/funcs.c" >"$dir/diff"
	printf 'c - b: %s instructions per fork + exit pair (%s in the module\x27s own functions), the functions that differ most\n' \
		"$(awk '$1 == "TOTAL" { print $2 }' "$dir/diff")" \
		"$(awk '$1 ~ /\[taskmonitor\]$/ { s += $2 } END { printf "%.0f", s }' "$dir/diff")"
	grep -v '^TOTAL ' "$dir/diff" | sort -k2,2gr |
		awk -v top="$top" 'NR <= top { printf "%-44s %12s\n", $1, $2 }'
	echo "..."
	grep -v '^TOTAL ' "$dir/diff" | sort -k2,2g | awk 'NR <= 5 { printf "%-44s %12s\n", $1, $2 }'
fi

# The page allocations of test_profile_page_allocs, per pair: the callers
# whose count differs most between c and b.
pairs=$(tr -d '\r' <"$log" | awk '/^PROF-PAGES-PAIRS / { print $2 }')
if [ -n "$pairs" ]; then
	echo
	echo "page allocations per fork + exit pair, c (followed) - b, by callers below __alloc_pages:"
	tr -d '\r' <"$log" | awk -v pairs="$pairs" '
	$1 == "PROF-PAGES" { k = $4 " " $5; d[k] += ($2 == "c" ? $3 : -$3) }
	END { for (k in d) if (d[k] != 0) printf "%8.3f order %s\n", d[k] / pairs, k }' | sort -k1,1gr |
		awk -v top="$top" 'NR <= top'
fi
