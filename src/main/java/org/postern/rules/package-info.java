/**
 * Transport (mail flow) rules: a tenant's ordered conditions, exceptions and actions (INTERFACES §3), compiled
 * once per change of the tenant into an immutable {@link org.postern.rules.RuleSet} and evaluated per message at
 * the end of DATA against a {@link org.postern.rules.RuleSubject} the edge fills, giving a
 * {@link org.postern.rules.RuleOutcome} whose hits say which rule did what and why.
 *
 * <p>Every pattern is RE2/J (linear time) within size limits, every matched text is capped, every header a rule
 * writes is validated when the rule is applied. Knows nothing of SMTP, sessions or the disposition: the edge turns
 * the outcome into a decision and a trace.
 */
package org.postern.rules;
