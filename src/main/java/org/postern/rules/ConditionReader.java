package org.postern.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.postern.config.ConfigException;
import org.postern.config.Units;
import org.postern.policy.Cidr;
import org.postern.rules.Condition.SenderIpIn.Network;
import org.postern.rules.RuleSubject.Direction;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a rule's {@code when} or {@code except} map into conditions; the keys are exactly INTERFACES §3's. */
final class ConditionReader {

    static final Set<String> KEYS = Set.of("sender-is", "sender-domain-is", "recipient-is", "recipient-domain-is",
            "sender-ip-in", "subject-contains", "subject-matches", "header-contains", "header-matches", "body-contains",
            "attachment-name-matches", "attachment-type-is", "size-over", "scl-at-least", "auth-result", "connector-is",
            "direction");
    private static final Set<String> AUTH_METHODS = Set.of("spf", "dkim", "dmarc");
    /** INTERFACES §3 names pass, fail and none; the other RFC 8601 result words are accepted too. */
    static final Set<String> AUTH_WORDS = Set.of("pass", "fail", "none", "softfail", "neutral", "temperror", "permerror", "policy");

    private final RuleFields f;
    private final Optional<Set<String>> connectorNames;
    private long programSize;

    ConditionReader(RuleFields fields, Optional<Set<String>> connectorNames) {
        this.f = fields;
        this.connectorNames = connectorNames;
    }

    /** Estimated RE2 instructions of every pattern read so far. */
    long programSize() {
        return programSize;
    }

    /** The conditions of {@code when} or {@code except}; none when the key is absent. */
    List<Condition> read(String section, JsonNode map) {
        if (map == null || map.isNull()) return List.of();
        if (!map.isObject()) throw f.error(section, "must be a map of conditions");
        List<Condition> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String field = section + "." + e.getKey();
            if (!KEYS.contains(e.getKey())) {
                throw f.error(field, "unknown condition (known: " + String.join(", ", TransportRules.sorted(KEYS)) + ")");
            }
            read(field, e.getKey(), e.getValue(), out);
        }
        return out;
    }

    private void read(String field, String key, JsonNode v, List<Condition> out) {
        switch (key) {
            case "sender-is" -> out.add(new Condition.SenderIs(addresses(field, v)));
            case "recipient-is" -> out.add(new Condition.RecipientIs(addresses(field, v)));
            case "sender-domain-is" -> out.add(new Condition.SenderDomainIs(domains(field, v)));
            case "recipient-domain-is" -> out.add(new Condition.RecipientDomainIs(domains(field, v)));
            case "sender-ip-in" -> out.add(new Condition.SenderIpIn(networks(field, v)));
            case "subject-contains" -> out.add(new Condition.SubjectContains(needles(field, v)));
            case "body-contains" -> out.add(new Condition.BodyContains(needles(field, v)));
            case "subject-matches" -> out.add(new Condition.SubjectMatches(patterns(field, v)));
            case "attachment-name-matches" -> out.add(new Condition.AttachmentNameMatches(patterns(field, v)));
            case "header-contains" -> {
                for (Map.Entry<String, JsonNode> h : headerMap(field, v)) {
                    String name = f.headerName(field, h.getKey(), false);
                    out.add(new Condition.HeaderContains(name, needles(field + "." + name, h.getValue())));
                }
            }
            case "header-matches" -> {
                for (Map.Entry<String, JsonNode> h : headerMap(field, v)) {
                    String name = f.headerName(field, h.getKey(), false);
                    out.add(new Condition.HeaderMatches(name, patterns(field + "." + name, h.getValue())));
                }
            }
            case "attachment-type-is" -> out.add(new Condition.AttachmentTypeIs(types(field, v)));
            case "size-over" -> out.add(size(field, v));
            case "scl-at-least" -> {
                if (!v.isInt() || v.asInt() < -1 || v.asInt() > 9) throw f.error(field, "must be an SCL from -1 to 9");
                out.add(new Condition.SclAtLeast(v.asInt()));
            }
            case "auth-result" -> {
                if (!v.isObject() || v.isEmpty()) throw f.error(field, "must be a map such as {spf: pass, dmarc: fail}");
                for (Map.Entry<String, JsonNode> a : v.properties()) {
                    if (!AUTH_METHODS.contains(a.getKey())) throw f.error(field + "." + a.getKey(), "unknown method (spf, dkim or dmarc)");
                    Set<String> words = new LinkedHashSet<>();
                    for (String w : f.strings(field + "." + a.getKey(), a.getValue())) {
                        String word = w.toLowerCase(Locale.ROOT);
                        if (!AUTH_WORDS.contains(word)) {
                            throw f.error(field + "." + a.getKey(), "'" + w + "' is not a result word (" + String.join(", ", TransportRules.sorted(AUTH_WORDS)) + ")");
                        }
                        words.add(word);
                    }
                    out.add(new Condition.AuthResult(a.getKey(), Set.copyOf(words)));
                }
            }
            case "connector-is" -> {
                Set<String> names = new LinkedHashSet<>(f.strings(field, v));
                connectorNames.ifPresent(known -> {
                    for (String n : names) if (!known.contains(n)) throw f.error(field, "the tenant has no connector '" + n + "'");
                });
                out.add(new Condition.ConnectorIs(Set.copyOf(names)));
            }
            case "direction" -> {
                String d = f.scalar(field, v);
                Direction direction = switch (d) {
                    case "inbound" -> Direction.INBOUND;
                    case "outbound" -> Direction.OUTBOUND;
                    default -> throw f.error(field, "must be inbound or outbound, not '" + d + "'");
                };
                out.add(new Condition.DirectionIs(direction));
            }
            default -> throw new IllegalStateException("condition key without a reader: " + key);
        }
    }

    private Set<String> addresses(String field, JsonNode v) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : f.strings(field, v)) out.add(f.comparableAddress(field, s));
        return Set.copyOf(out);
    }

    private Set<String> domains(String field, JsonNode v) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : f.strings(field, v)) out.add(f.domain(field, s));
        return Set.copyOf(out);
    }

    private List<Network> networks(String field, JsonNode v) {
        List<Network> out = new ArrayList<>();
        for (String s : f.strings(field, v)) {
            try {
                out.add(Network.of(Cidr.parse(s)));
            } catch (IllegalArgumentException e) {
                throw f.error(field, e.getMessage());
            }
        }
        return out;
    }

    /** Texts to look for, lower-cased (contains is case-insensitive). */
    private List<Needle> needles(String field, JsonNode v) {
        List<Needle> out = new ArrayList<>();
        for (String s : f.strings(field, v)) {
            if (s.length() > RuleFields.MAX_CONTAINS_LENGTH) {
                throw f.error(field, "'" + s.substring(0, 20) + "...' is longer than " + RuleFields.MAX_CONTAINS_LENGTH + " characters");
            }
            out.add(new Needle(s.toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    private List<SafeRegex> patterns(String field, JsonNode v) {
        List<SafeRegex> out = new ArrayList<>();
        for (String s : f.strings(field, v)) {
            try {
                SafeRegex regex = SafeRegex.compile(s);
                programSize += regex.size();
                out.add(regex);
            } catch (IllegalArgumentException e) {
                throw f.error(field, e.getMessage());
            }
        }
        return out;
    }

    private Iterable<Map.Entry<String, JsonNode>> headerMap(String field, JsonNode v) {
        if (!v.isObject() || v.isEmpty()) throw f.error(field, "must be a map of header names, such as {X-Mailer: [bulk]}");
        return v.properties();
    }

    /** {@code pdf} (extension), {@code application/pdf} (media type) or {@code image/*}; lower-cased. */
    private List<String> types(String field, JsonNode v) {
        List<String> out = new ArrayList<>();
        for (String s : f.strings(field, v)) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (!TYPE.matcher(t).matches()) {
                throw f.error(field, "'" + s + "' is neither a file extension (pdf) nor a media type (application/pdf, image/*)");
            }
            out.add(t);
        }
        return out;
    }

    private static final com.google.re2j.Pattern TYPE =
            com.google.re2j.Pattern.compile("[a-z0-9][a-z0-9+._-]{0,31}(/([a-z0-9][a-z0-9+._-]{0,63}|\\*))?");

    private Condition size(String field, JsonNode v) {
        long bytes;
        if (v.isIntegralNumber()) {
            bytes = v.asLong();
        } else if (v.isTextual()) {
            try {
                bytes = Units.bytes(v.asText());
            } catch (ConfigException | ArithmeticException e) {
                throw f.error(field, "'" + v.asText() + "' is not a size (use e.g. 10MB, 512KB, 2000000)");
            }
        } else {
            throw f.error(field, "must be a size such as 10MB");
        }
        if (bytes < 0) throw f.error(field, "must not be negative");
        return new Condition.SizeOver(bytes, v.asText());
    }
}
