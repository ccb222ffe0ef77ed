package org.postern.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A store URL as configured ({@code store.url}, INTERFACES §2), understood: which database it names and the
 * JDBC URL Postern actually connects with.
 *
 * <p>H2 adjustments, each only when the URL does not set the option itself:
 * <ul>
 *   <li>file databases get {@code AUTO_SERVER=TRUE}, so {@code postern trace} or {@code apply} can open the
 *       database while {@code serve} holds it (the first process serves the file to the others, on loopback,
 *       guarded by a random key in the lock file);</li>
 *   <li>in-memory databases get {@code DB_CLOSE_DELAY=-1}, so the database outlives a pool that briefly has
 *       no open connection;</li>
 *   <li>every H2 database gets {@code LOCK_TIMEOUT=5000} instead of H2's 1 s, so tenant writers queued behind
 *       the configuration-version row wait their turn instead of failing.</li>
 * </ul>
 */
record DatabaseUrl(Database.Kind kind, String jdbcUrl) {

    private static final Pattern POSTGRES = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");

    static DatabaseUrl parse(String url) {
        String trimmed = url.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            return new DatabaseUrl(Database.Kind.H2, adjustH2(trimmed));
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(Database.Kind.POSTGRESQL, trimmed);
        }
        throw new IllegalArgumentException("unsupported store url (expected jdbc:h2:... or jdbc:postgresql://...): "
                + redact(trimmed));
    }

    /** True when the H2 URL names a local file, which is what AUTO_SERVER applies to. */
    boolean isH2File() {
        if (kind != Database.Kind.H2) {
            return false;
        }
        String rest = jdbcUrl.substring("jdbc:h2:".length()).toLowerCase(Locale.ROOT);
        return !rest.startsWith("mem:") && !rest.startsWith("tcp:") && !rest.startsWith("ssl:")
                && !rest.startsWith("zip:");
    }

    boolean isH2Memory() {
        return kind == Database.Kind.H2 && jdbcUrl.substring("jdbc:h2:".length()).toLowerCase(Locale.ROOT).startsWith("mem:");
    }

    /** The PostgreSQL database the URL names, when it names one explicitly. */
    Optional<String> postgresDatabase() {
        Matcher m = POSTGRES.matcher(jdbcUrl);
        if (kind != Database.Kind.POSTGRESQL || !m.matches() || m.group(2).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
    }

    /** The same server and parameters, pointed at the {@code postgres} maintenance database. */
    String postgresMaintenanceUrl() {
        Matcher m = POSTGRES.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalStateException("not a jdbc:postgresql://host/database url: " + redact(jdbcUrl));
        }
        return m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
    }

    /** The URL with any password parameter hidden, for messages and logs. */
    String redacted() {
        return redact(jdbcUrl);
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String adjustH2(String url) {
        String rest = url.substring("jdbc:h2:".length()).toLowerCase(Locale.ROOT);
        if (rest.startsWith("mem:")) {
            return withH2Setting(withH2Setting(url, "DB_CLOSE_DELAY", "-1"), "LOCK_TIMEOUT", "5000");
        }
        String adjusted = withH2Setting(url, "LOCK_TIMEOUT", "5000");
        boolean remote = rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:");
        if (remote || hasH2Setting(url, "FILE_LOCK")) {
            return adjusted;
        }
        return withH2Setting(adjusted, "AUTO_SERVER", "TRUE");
    }

    private static boolean hasH2Setting(String url, String key) {
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].strip().toUpperCase(Locale.ROOT).startsWith(key + "=")) {
                return true;
            }
        }
        return false;
    }

    private static String withH2Setting(String url, String key, String value) {
        return hasH2Setting(url, key) ? url : url + ";" + key + "=" + value;
    }
}
