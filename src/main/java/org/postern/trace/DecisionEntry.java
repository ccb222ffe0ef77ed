package org.postern.trace;

/**
 * One link of the chain that explains a verdict: which stage spoke, what it concluded, the reason code
 * and the setting that applied ("" when none). Stored reason codes are never renamed.
 */
public record DecisionEntry(String stage, String outcome, String reason, String setting) {
}
