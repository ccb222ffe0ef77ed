package org.postern.rules;

import org.postern.policy.Cidr;
import org.postern.rules.MessageView.Text;
import org.postern.rules.RuleSubject.Direction;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One condition of a rule's {@code when} or {@code except} (INTERFACES §3), compiled: values normalized,
 * patterns compiled. A list-valued condition holds when any listed value matches; addresses, domains and
 * "contains" texts compare case-insensitively, patterns are case-insensitive too.
 */
sealed interface Condition {

    /** The condition as written, e.g. {@code sender-domain-is} or {@code header-contains X-Mailer}. */
    String label();

    /** Relative cost, so a rule tests its cheap conditions first (all must hold: order does not change the result). */
    int cost();

    /** Known from envelope and headers alone (before the body is read and the classifier has run). */
    default boolean envelopeOrHeader() {
        return true;
    }

    /** The value that matched, or empty when the condition does not hold. */
    Optional<Match> test(MessageView m);

    private static Optional<Match> hit(Condition c, String value) {
        return Optional.of(new Match(c.label(), value));
    }

    record SenderIs(Set<String> addresses) implements Condition {
        public String label() { return "sender-is"; }
        public int cost() { return 0; }
        public Optional<Match> test(MessageView m) {
            return addresses.contains(m.senderAddress()) ? hit(this, m.senderAddress()) : Optional.empty();
        }
    }

    /** The sender's domain is a listed domain or a subdomain of one (as Exchange's SenderDomainIs). */
    record SenderDomainIs(Set<String> domains) implements Condition {
        public String label() { return "sender-domain-is"; }
        public int cost() { return 0; }
        public Optional<Match> test(MessageView m) {
            for (String suffix : m.senderDomainSuffixes()) if (domains.contains(suffix)) return hit(this, suffix);
            return Optional.empty();
        }
    }

    record RecipientIs(Set<String> addresses) implements Condition {
        public String label() { return "recipient-is"; }
        public int cost() { return 0; }
        public Optional<Match> test(MessageView m) {
            for (String r : m.recipientAddresses()) if (addresses.contains(r)) return hit(this, r);
            return Optional.empty();
        }
    }

    /** Some recipient's domain is a listed domain or a subdomain of one. */
    record RecipientDomainIs(Set<String> domains) implements Condition {
        public String label() { return "recipient-domain-is"; }
        public int cost() { return 0; }
        public Optional<Match> test(MessageView m) {
            for (List<String> suffixes : m.recipientDomainSuffixes()) {
                for (String suffix : suffixes) if (domains.contains(suffix)) return hit(this, suffix);
            }
            return Optional.empty();
        }
    }

    record SenderIpIn(List<Network> networks) implements Condition {
        public String label() { return "sender-ip-in"; }
        public int cost() { return 0; }
        public Optional<Match> test(MessageView m) {
            Optional<byte[]> ip = m.ip();
            if (ip.isEmpty()) return Optional.empty();
            for (Network n : networks) if (n.contains(ip.get())) return hit(this, n.text());
            return Optional.empty();
        }

        /** A {@link Cidr} with its address bytes taken once, so a test allocates nothing. */
        record Network(String text, byte[] address, int prefixLength) {
            static Network of(Cidr cidr) {
                return new Network(cidr.toString(), cidr.network().getAddress(), cidr.prefixLength());
            }

            boolean contains(byte[] ip) {
                if (address.length != ip.length) return false;
                int bits = prefixLength;
                for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
                    int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                    if ((ip[i] & mask) != (address[i] & mask)) return false;
                }
                return true;
            }
        }
    }

    record SubjectContains(List<Needle> words) implements Condition {
        public String label() { return "subject-contains"; }
        public int cost() { return 1; }
        public Optional<Match> test(MessageView m) {
            return firstIn(this, words, m.subjectText());
        }
    }

    record SubjectMatches(List<SafeRegex> patterns) implements Condition {
        public String label() { return "subject-matches"; }
        public int cost() { return 2; }
        public Optional<Match> test(MessageView m) {
            return firstMatching(this, patterns, m.subjectTexts());
        }
    }

    record HeaderContains(String name, String lowerName, List<Needle> words) implements Condition {
        HeaderContains(String name, List<Needle> words) {
            this(name, name.toLowerCase(Locale.ROOT), words);
        }
        public String label() { return "header-contains " + name; }
        public int cost() { return 1; }
        public Optional<Match> test(MessageView m) {
            for (Text value : m.header(lowerName)) {
                Optional<Match> found = firstIn(this, words, value);
                if (found.isPresent()) return found;
            }
            return Optional.empty();
        }
    }

    record HeaderMatches(String name, String lowerName, List<SafeRegex> patterns) implements Condition {
        HeaderMatches(String name, List<SafeRegex> patterns) {
            this(name, name.toLowerCase(Locale.ROOT), patterns);
        }
        public String label() { return "header-matches " + name; }
        public int cost() { return 2; }
        public Optional<Match> test(MessageView m) {
            return firstMatching(this, patterns, m.header(lowerName));
        }
    }

    record BodyContains(List<Needle> words) implements Condition {
        public String label() { return "body-contains"; }
        public int cost() { return 4; }
        public boolean envelopeOrHeader() { return false; }
        public Optional<Match> test(MessageView m) {
            return firstIn(this, words, m.body());
        }
    }

    record AttachmentNameMatches(List<SafeRegex> patterns) implements Condition {
        public String label() { return "attachment-name-matches"; }
        public int cost() { return 3; }
        public boolean envelopeOrHeader() { return false; }
        public Optional<Match> test(MessageView m) {
            return firstMatching(this, patterns, m.attachmentNames());
        }
    }

    /**
     * An attachment's type is listed: {@code pdf} (a file name extension), {@code application/pdf} (the declared
     * media type) or {@code image/*} (any subtype).
     */
    record AttachmentTypeIs(List<String> types) implements Condition {
        public String label() { return "attachment-type-is"; }
        public int cost() { return 1; }
        public boolean envelopeOrHeader() { return false; }
        public Optional<Match> test(MessageView m) {
            for (MessageView.AttachmentType a : m.attachmentTypes()) {
                for (String t : types) {
                    boolean matches = t.endsWith("/*") ? a.mediaType().startsWith(t.substring(0, t.length() - 1))
                            : t.indexOf('/') >= 0 ? a.mediaType().equals(t) : a.extension().equals(t);
                    if (matches) return hit(this, t);
                }
            }
            return Optional.empty();
        }
    }

    record SizeOver(long bytes, String written) implements Condition {
        public String label() { return "size-over"; }
        public int cost() { return 0; }
        public Optional<Match> test(MessageView m) {
            return m.subject().size() > bytes ? hit(this, written) : Optional.empty();
        }
    }

    /** Holds when the SCL is known (after the classifier, or set by an earlier rule) and at least this. */
    record SclAtLeast(int scl) implements Condition {
        public String label() { return "scl-at-least"; }
        public int cost() { return 0; }
        public boolean envelopeOrHeader() { return false; }
        public Optional<Match> test(MessageView m) {
            OptionalInt current = m.scl();
            return current.isPresent() && current.getAsInt() >= scl ? hit(this, String.valueOf(scl)) : Optional.empty();
        }
    }

    /** {@code auth-result: {spf: fail}}: each method named is a condition of its own. */
    record AuthResult(String method, Set<String> words) implements Condition {
        public String label() { return "auth-result"; }
        public int cost() { return 0; }
        public Optional<Match> test(MessageView m) {
            String word = m.subject().auth().word(method);
            return words.contains(word) ? hit(this, method + "=" + word) : Optional.empty();
        }
    }

    record ConnectorIs(Set<String> names) implements Condition {
        public String label() { return "connector-is"; }
        public int cost() { return 0; }
        public Optional<Match> test(MessageView m) {
            Optional<String> c = m.subject().connector();
            return c.isPresent() && names.contains(c.get()) ? hit(this, c.get()) : Optional.empty();
        }
    }

    record DirectionIs(Direction direction) implements Condition {
        public String label() { return "direction"; }
        public int cost() { return 0; }
        public Optional<Match> test(MessageView m) {
            return m.subject().direction() == direction ? hit(this, direction.keyword()) : Optional.empty();
        }
    }

    private static Optional<Match> firstIn(Condition c, List<Needle> words, Text text) {
        String lower = text.lower();
        for (Needle n : words) if (n.foundIn(lower)) return Optional.of(new Match(c.label(), n.text()));
        return Optional.empty();
    }

    private static Optional<Match> firstMatching(Condition c, List<SafeRegex> patterns, List<Text> texts) {
        for (Text t : texts) {
            for (SafeRegex p : patterns) {
                if (p.find(t.value, t.folded())) return Optional.of(new Match(c.label(), p.source()));
            }
        }
        return Optional.empty();
    }
}
