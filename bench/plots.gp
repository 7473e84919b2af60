# SPDX-License-Identifier: GPL-2.0
#
# plots.gp: the figures of bench/README.md, drawn by bench/run.sh:
#   gnuplot -e "dat='DIR'; out='DIR'; series='6.12'; kernel='K'; accel='tcg'" bench/plots.gp
# cost-<series>.png  CPU time per task-sample against N (log-log), for the
#                    module, pidstat and the /proc poller; bars = min..max
# gaps-<series>.png  distribution of the gaps between consecutive samples
#                    of a task, in intervals, for each interval measured

set terminal pngcairo size 900,560 font "sans,10"
set grid
set key top right

set output out.'/cost-'.series.'.png'
set title 'CPU time per task-sample against monitored processes ('.kernel.', '.accel.')'
set logscale xy
set xlabel 'monitored processes N'
set ylabel 'CPU time per task-sample (ns)'
set format y '10^{%L}'
set xrange [0.7:6000]
set key outside right top
plot dat.'/cost.dat' using ($2 == 1000 ? $1 : NaN):6:7:8 with yerrorlines lw 2 lc rgb '#d62728' title 'pidstat, 1 s', \
     '' using ($2 == 1000 ? $1 : NaN):9:10:11 with yerrorlines lw 2 lc rgb '#1f77b4' title 'poller, 1 s', \
     '' using ($2 == 10 ? $1 : NaN):9:10:11 with yerrorlines lw 2 dt 2 lc rgb '#1f77b4' title 'poller, 10 ms', \
     '' using ($2 == 1000 ? $1 : NaN):3:4:5 with yerrorlines lw 2 lc rgb '#2ca02c' title 'taskmonitor, 1 s', \
     '' using ($2 == 10 ? $1 : NaN):3:4:5 with yerrorlines lw 2 dt 2 lc rgb '#2ca02c' title 'taskmonitor, 10 ms'

set output out.'/gaps-'.series.'.png'
set title 'Gaps between consecutive samples of a task ('.kernel.', '.accel.')'
unset logscale x
set logscale y
set xlabel 'gap / interval (last bin: 3 intervals and more)'
set ylabel 'fraction of gaps'
set format y '10^{%L}'
set xrange [0:3.1]
set yrange [1e-7:1.5]
set key inside top right
files = system('ls '.dat.'/gaps-*.dat 2>/dev/null')
plot for [f in files] f using 1:($2 > 0 ? $2 : NaN) with histeps lw 2 \
     title 'interval '.substr(f, strstrt(f, 'gaps-') + 5, strlen(f) - 4).' ms'
