package org.postern.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human units of configuration files: sizes ("35MB", "512KiB") and durations ("2s", "5m", "30d"). */
public final class Units {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMG]i?B|B)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)");

    private Units() { }

    public static long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) throw new ConfigException("not a size: '" + text + "' (use e.g. 35MB, 512KB, 1GiB)");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit) {
            case "B" -> 1;
            case "KB", "KIB" -> 1024;
            case "MB", "MIB" -> 1024L * 1024;
            case "GB", "GIB" -> 1024L * 1024 * 1024;
            default -> throw new ConfigException("unknown size unit in '" + text + "'");
        };
        return Math.multiplyExact(n, factor);
    }

    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) throw new ConfigException("not a duration: '" + text + "' (use e.g. 500ms, 2s, 5m, 1h, 2d)");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> throw new ConfigException("unknown duration unit in '" + text + "'");
        };
    }
}
