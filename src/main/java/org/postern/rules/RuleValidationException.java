package org.postern.rules;

/**
 * A transport rule cannot be compiled. The message names the rule (its position in {@code transport-rules} and
 * its name) and the field, e.g. {@code transport-rules[2] 'wire-fraud': when.subject-matches: pattern too large}.
 */
public final class RuleValidationException extends RuntimeException {

    private final int index;
    private final String rule;
    private final String field;

    RuleValidationException(int index, String rule, String field, String problem) {
        super("transport-rules[" + index + "]" + (rule.isEmpty() ? "" : " '" + rule + "'") + ": "
                + (field.isEmpty() ? "" : field + ": ") + problem);
        this.index = index;
        this.rule = rule;
        this.field = field;
    }

    /** Position of the rule in the document's {@code transport-rules} list, from 0. */
    public int index() {
        return index;
    }

    /** The rule's name, "" when it has none (yet). */
    public String rule() {
        return rule;
    }

    /** The field at fault, e.g. {@code when.subject-matches} ("" for the rule as a whole). */
    public String field() {
        return field;
    }
}
