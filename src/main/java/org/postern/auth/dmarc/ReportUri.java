package org.postern.auth.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One DMARC reporting URI of {@code rua} or {@code ruf}, with its optional maximum report size (RFC 7489 §6.2:
 * {@code uri [ "!" size [ "k" / "m" / "g" / "t" ] ]}), in bytes.
 */
public record ReportUri(URI uri, OptionalLong maxBytes) {

    static Optional<ReportUri> parse(String text) {
        String t = text.strip();
        OptionalLong size = OptionalLong.empty();
        int bang = t.lastIndexOf('!');
        if (bang >= 0) {
            Optional<Long> parsed = parseSize(t.substring(bang + 1));
            if (parsed.isEmpty()) return Optional.empty();
            size = OptionalLong.of(parsed.get());
            t = t.substring(0, bang);
        }
        try {
            URI uri = new URI(t);
            if (uri.getScheme() == null || t.isEmpty()) return Optional.empty();
            return Optional.of(new ReportUri(uri, size));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> parseSize(String s) {
        if (s.isEmpty()) return Optional.empty();
        long unit = switch (Character.toLowerCase(s.charAt(s.length() - 1))) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1L;
        };
        String digits = unit == 1L ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(digits) * unit);
    }

    @Override
    public String toString() {
        return uri + (maxBytes.isPresent() ? "!" + maxBytes.getAsLong() : "");
    }

    String scheme() {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }
}
