package dev.ttscluster.worker.assembly;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * WebVTT and SRT cues from a chapter's sentence timestamps ({@code start}, {@code end} in seconds and
 * {@code text} of each). Cue text is one line; "-->" inside it is defused. Stateless.
 */
public final class Subtitles {
    private Subtitles() {}

    public static String vtt(List<Map<String, Object>> sentences) {
        StringBuilder sb = new StringBuilder("WEBVTT\n\n");
        int n = 1;
        for (Map<String, Object> s : sentences) {
            sb.append(n++)
                    .append('\n')
                    .append(time(s.get("start"), '.'))
                    .append(" --> ")
                    .append(time(s.get("end"), '.'))
                    .append('\n')
                    .append(text(s))
                    .append("\n\n");
        }
        return sb.toString();
    }

    public static String srt(List<Map<String, Object>> sentences) {
        StringBuilder sb = new StringBuilder();
        int n = 1;
        for (Map<String, Object> s : sentences) {
            sb.append(n++)
                    .append('\n')
                    .append(time(s.get("start"), ','))
                    .append(" --> ")
                    .append(time(s.get("end"), ','))
                    .append('\n')
                    .append(text(s))
                    .append("\n\n");
        }
        return sb.toString();
    }

    private static String text(Map<String, Object> s) {
        return String.valueOf(s.get("text"))
                .replaceAll("\\s+", " ")
                .replace("-->", "->")
                .strip();
    }

    /** hh:mm:ss.mmm (or with a comma, SRT). */
    static String time(Object seconds, char sep) {
        long ms = Math.round(((Number) seconds).doubleValue() * 1000);
        return String.format(
                Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, sep, ms % 1000);
    }
}
