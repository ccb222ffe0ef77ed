package org.postern.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.postern.tenant.Domains;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reading and validating the values of one rule's fields: texts, lists, addresses, domains, header names and
 * values. Every failure is an error naming the rule (through the sink) and the field.
 */
final class RuleFields {

    /** Most values one list-valued condition or action may list. */
    static final int MAX_VALUES = 1_000;
    /** Longest text a {@code *-contains} condition may look for. */
    static final int MAX_CONTAINS_LENGTH = 256;
    /** Longest {@code reject} text (it becomes the SMTP reply's text). */
    static final int MAX_REJECT_TEXT = 400;
    /** Longest {@code prepend-subject} text. */
    static final int MAX_PREFIX = 200;
    /** RFC 5322 §2.1.1: a line is at most 998 characters; a field's name, ": " and value must fit. */
    static final int MAX_HEADER_LINE = 998;

    interface ErrorSink {
        RuleValidationException error(String field, String problem);
    }

    private final ErrorSink sink;

    RuleFields(ErrorSink sink) {
        this.sink = sink;
    }

    RuleValidationException error(String field, String problem) {
        return sink.error(field, problem);
    }

    /** A scalar or a list of scalars, as texts; at least one, at most {@link #MAX_VALUES}. */
    List<String> strings(String field, JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode item : v) out.add(scalar(field, item));
        } else {
            out.add(scalar(field, v));
        }
        if (out.isEmpty()) throw error(field, "list at least one value");
        if (out.size() > MAX_VALUES) throw error(field, "too many values (" + out.size() + ", limit " + MAX_VALUES + ")");
        return out;
    }

    String scalar(String field, JsonNode v) {
        if (v == null || !(v.isTextual() || v.isNumber())) throw error(field, "expected a text or a list of texts");
        String s = v.asText();
        if (s.isEmpty()) throw error(field, "an empty text matches nothing useful");
        return s;
    }

    void requireTrue(String field, JsonNode v) {
        if (v == null || !v.isBoolean() || !v.asBoolean()) throw error(field, "must be true (leave the key out otherwise)");
    }

    /** A mailbox address {@code local@domain}; returns it as written (trimmed). */
    String address(String field, String value) {
        String a = value.strip();
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1 || at > 64) throw error(field, "'" + value + "' is not an address (local@domain)");
        String local = a.substring(0, at);
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw error(field, "'" + value + "' is not an address (local@domain)");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            boolean atext = c >= 128 || Character.isLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
            if (!atext) throw error(field, "'" + value + "' is not an address (local@domain)");
        }
        domain(field, a.substring(at + 1));
        return a;
    }

    /** An address in the form conditions compare: lower-case local part, normalized domain. */
    String comparableAddress(String field, String value) {
        return MessageView.normalizeAddress(address(field, value));
    }

    String domain(String field, String value) {
        try {
            return Domains.normalize(value);
        } catch (IllegalArgumentException e) {
            throw error(field, e.getMessage());
        }
    }

    /**
     * An RFC 5322 §3.6.8 field name: printable US-ASCII except the colon, at most 76 characters. When the rule
     * writes the field ({@code add-header}, {@code remove-header}), Postern's own fields and the trace fields are
     * refused: a tenant must not forge or hide a verdict.
     */
    String headerName(String field, String value, boolean written) {
        if (value.isEmpty() || value.length() > 76) throw error(field, "'" + value + "' is not a header field name (1-76 characters)");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                throw error(field, "'" + printable(value) + "' is not a header field name (printable ASCII without ':' or spaces)");
            }
        }
        if (written) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-postern-") || lower.equals("received") || lower.equals("authentication-results")) {
                throw error(field, "'" + value + "' is written by Postern itself and may not be added or removed");
            }
        }
        return value;
    }

    /** A field value written as is: printable ASCII, space and tab, no CR or LF (no header injection). */
    String headerValue(String field, String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') throw error(field, "the value of " + name + " contains a line break (header injection)");
            if ((c < 32 && c != '\t') || c > 126) {
                throw error(field, "the value of " + name + " must be printable ASCII (character " + (int) c + ")");
            }
        }
        if (name.length() + 2 + value.length() > MAX_HEADER_LINE) {
            throw error(field, "the field " + name + " would be longer than " + MAX_HEADER_LINE + " characters");
        }
        return value;
    }

    /** A text shown to people on one line: no control characters, no line or paragraph separators. */
    String oneLine(String field, String value, int max, boolean asciiOnly) {
        if (value.length() > max) throw error(field, "longer than " + max + " characters");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') throw error(field, "contains a line break");
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || (asciiOnly && c > 126)) {
                throw error(field, asciiOnly ? "must be printable ASCII" : "contains a control character");
            }
        }
        return value;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 32 || c == 127 ? "\\x" + Integer.toHexString(c) : String.valueOf(c));
        }
        return b.toString();
    }
}
