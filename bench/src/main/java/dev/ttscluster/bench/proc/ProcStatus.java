package dev.ttscluster.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's memory as Linux reports it in {@code /proc/PID/status}: resident now (VmRSS) and at its peak (VmHWM).
 * Stateless and thread-safe; where /proc cannot be read (another OS, a process gone) the figures say "unknown"
 * (0 or NaN) instead of failing.
 */
public final class ProcStatus {
    private ProcStatus() {}

    /** Resident memory of process {@code pid} in bytes; 0 where unknown. */
    public static long rssBytes(long pid) {
        long kib = kib(pid, "VmRSS:");
        return kib < 0 ? 0 : kib * 1024L;
    }

    /** Peak resident memory (VmHWM) of process {@code pid} in MiB; NaN where unknown. */
    public static double peakRssMb(long pid) {
        long kib = kib(pid, "VmHWM:");
        return kib < 0 ? Double.NaN : kib / 1024.0;
    }

    /** The field's value in KiB; -1 where unknown. */
    private static long kib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
