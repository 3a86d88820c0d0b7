package dev.ttscluster.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of named processes and of the whole machine, from /proc, to say where the cores went
 * during a measurement. A snapshot is cumulative; {@link #since} gives the difference.
 *
 * @param seconds CPU seconds (user + system) by process name
 * @param machineBusy busy CPU seconds of all cores together
 * @param machineTotal elapsed CPU seconds of all cores together (busy + idle)
 */
public record CpuUse(Map<String, Double> seconds, double machineBusy, double machineTotal) {
    private static final double TICK = 100.0; // USER_HZ on Linux

    /** Reads the CPU time of each process in {@code pids} (name to pid) and of the machine. */
    public static CpuUse snapshot(Map<String, Long> pids) {
        Map<String, Double> s = new LinkedHashMap<>();
        pids.forEach((name, pid) -> s.put(name, processSeconds(pid)));
        double busy = 0;
        double total = 0;
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i < f.length && i <= 8; i++) {
                double v = Long.parseLong(f[i]) / TICK;
                total += v;
                if (i != 4 && i != 5) { // idle, iowait
                    busy += v;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new CpuUse(s, Double.NaN, Double.NaN);
        }
        return new CpuUse(s, busy, total);
    }

    /** This snapshot minus an earlier one. */
    public CpuUse since(CpuUse earlier) {
        Map<String, Double> d = new LinkedHashMap<>();
        seconds.forEach((k, v) -> d.put(k, v - earlier.seconds.getOrDefault(k, 0.0)));
        return new CpuUse(d, machineBusy - earlier.machineBusy, machineTotal - earlier.machineTotal);
    }

    private static double processSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICK; // utime, stime
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
