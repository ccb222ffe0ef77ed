package org.postern.rules;

import org.postern.auth.SenderAuthentication;
import org.postern.auth.dkim.DkimOutcome;
import org.postern.auth.dkim.DkimResult;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The message as the rules see it, filled by the edge at the end of DATA from what it already has (one MIME
 * parse). Header values and the subject are passed raw, as they appear in the message (folded, RFC 2047 encoded
 * words and all): the rule engine unfolds and decodes them, and only those some rule asks for.
 *
 * @param direction   inbound (from the internet to a tenant) or outbound (a tenant's own mail)
 * @param sender      the envelope sender (MAIL FROM), "" for the null sender
 * @param recipients  the envelope recipients (RCPT TO) of this transaction
 * @param senderIp    the SMTP client's address, when there is one (absent in some explain runs)
 * @param subject     the raw Subject field value ("" when the message has none)
 * @param headers     raw field values by field name (any case; each name's values in message order)
 * @param body        the message's text (text parts, decoded), produced only if a {@code body-contains}
 *                    condition is reached
 * @param attachments the message's attachments, in MIME order
 * @param size        the message size in octets
 * @param scl         the spam confidence level when known (after the classifier), else empty
 * @param auth        SPF, DKIM and DMARC result words
 * @param connector   the connector the message arrived through, if any
 */
public record RuleSubject(Direction direction, String sender, List<String> recipients, Optional<InetAddress> senderIp,
                          String subject, Map<String, List<String>> headers, Supplier<String> body,
                          List<Attachment> attachments, long size, OptionalInt scl, AuthResults auth,
                          Optional<String> connector) {

    public enum Direction {
        INBOUND, OUTBOUND;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param name        the file name (Content-Disposition filename or Content-Type name, decoded), "" when none
     * @param contentType the declared media type, e.g. {@code application/pdf} (parameters ignored)
     */
    public record Attachment(String name, String contentType) {
        public Attachment {
            name = name == null ? "" : name;
            contentType = contentType == null ? "" : contentType;
        }
    }

    /** Result words as in Authentication-Results (RFC 8601): pass, fail, softfail, neutral, none, temperror, permerror. */
    public record AuthResults(String spf, String dkim, String dmarc) {

        public static final AuthResults NONE = new AuthResults("none", "none", "none");

        public AuthResults {
            spf = spf.toLowerCase(Locale.ROOT);
            dkim = dkim.toLowerCase(Locale.ROOT);
            dmarc = dmarc.toLowerCase(Locale.ROOT);
        }

        /**
         * From the edge's sender authentication. DKIM is one word for the message: pass when a signature passed
         * that may be relied on, else the first signature's result, none without signatures.
         */
        public static AuthResults of(SenderAuthentication a) {
            String dkim = a.dkim().stream().anyMatch(DkimResult::isStrongPass) ? "pass"
                    : a.dkim().isEmpty() ? "none"
                    : a.dkim().get(0).result() == DkimOutcome.PASS ? "neutral" : a.dkim().get(0).result().keyword();
            return new AuthResults(a.spf().result().keyword(), dkim, a.dmarc().outcome().keyword());
        }

        String word(String method) {
            return switch (method) {
                case "spf" -> spf;
                case "dkim" -> dkim;
                case "dmarc" -> dmarc;
                default -> throw new IllegalArgumentException(method);
            };
        }
    }

    public RuleSubject {
        recipients = List.copyOf(recipients);
        Map<String, List<String>> byName = new LinkedHashMap<>();
        headers.forEach((name, values) -> byName.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        byName.replaceAll((name, values) -> List.copyOf(values));
        headers = Map.copyOf(byName);
        attachments = List.copyOf(attachments);
    }

    /** The same message with the classifier's SCL known. */
    public RuleSubject withScl(int newScl) {
        return new RuleSubject(direction, sender, recipients, senderIp, subject, headers, body, attachments, size,
                OptionalInt.of(newScl), auth, connector);
    }

    /** Raw values of one header field (name in any case), in message order. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    public static Builder builder(Direction direction) {
        return new Builder(direction);
    }

    /** Everything optional starts empty: no sender, recipients, headers, body, attachments; size 0; SCL unknown. */
    public static final class Builder {
        private final Direction direction;
        private String sender = "";
        private final List<String> recipients = new ArrayList<>();
        private Optional<InetAddress> senderIp = Optional.empty();
        private Optional<String> subject = Optional.empty();
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private Supplier<String> body = () -> "";
        private final List<Attachment> attachments = new ArrayList<>();
        private long size;
        private OptionalInt scl = OptionalInt.empty();
        private AuthResults auth = AuthResults.NONE;
        private Optional<String> connector = Optional.empty();

        private Builder(Direction direction) {
            this.direction = direction;
        }

        public Builder sender(String envelopeSender) { this.sender = envelopeSender; return this; }
        public Builder recipient(String recipient) { recipients.add(recipient); return this; }
        public Builder recipients(List<String> list) { recipients.addAll(list); return this; }
        public Builder senderIp(InetAddress ip) { this.senderIp = Optional.of(ip); return this; }
        /** The raw Subject value; without it, the first Subject field of {@link #header} is used. */
        public Builder subject(String rawSubject) { this.subject = Optional.of(rawSubject); return this; }
        public Builder header(String name, String rawValue) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(rawValue);
            return this;
        }
        public Builder body(Supplier<String> text) { this.body = text; return this; }
        public Builder attachment(String name, String contentType) { attachments.add(new Attachment(name, contentType)); return this; }
        public Builder size(long octets) { this.size = octets; return this; }
        public Builder scl(int value) { this.scl = OptionalInt.of(value); return this; }
        public Builder auth(AuthResults results) { this.auth = results; return this; }
        public Builder connector(String name) { this.connector = Optional.of(name); return this; }

        public RuleSubject build() {
            String s = subject.orElseGet(() -> headers.getOrDefault("subject", List.of()).stream().findFirst().orElse(""));
            return new RuleSubject(direction, sender, recipients, senderIp, s, headers, body, attachments, size, scl,
                    auth, connector);
        }
    }
}
