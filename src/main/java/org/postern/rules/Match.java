package org.postern.rules;

/**
 * Why a rule matched, one condition at a time: the condition (with the header name for header conditions) and the
 * listed value that matched, e.g. {@code sender-domain-is payroll.test} or {@code header-contains X-Mailer: bulk}.
 */
public record Match(String condition, String value) {

    /** A rule without {@code when} conditions matches every message. */
    static final Match EVERY_MESSAGE = new Match("every message", "");

    @Override
    public String toString() {
        return value.isEmpty() ? condition : condition + " " + value;
    }
}
