package org.postern.rules;

import java.util.Locale;

/** Whether a rule acts ({@code enforce}) or only reports what it would have done ({@code audit}). */
public enum RuleMode {
    ENFORCE, AUDIT;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
