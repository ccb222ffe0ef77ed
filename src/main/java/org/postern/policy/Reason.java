package org.postern.policy;

import java.util.Objects;

/**
 * One reason a stage gives: the code, the evidence it rests on (as an admin reads it) and the setting that
 * applied ("" when no setting was involved), e.g. {@code (UNKNOWN_RECIPIENT, "carol@contoso.test", "tenants.contoso.recipients")}.
 */
public record Reason(ReasonCode code, String evidence, String setting) {
    public Reason {
        Objects.requireNonNull(code);
        Objects.requireNonNull(evidence);
        Objects.requireNonNull(setting);
    }

    public static Reason of(ReasonCode code, String evidence) {
        return new Reason(code, evidence, "");
    }
}
