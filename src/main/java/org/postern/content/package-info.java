/**
 * Content filtering: what a message says, and how likely it is spam.
 *
 * <p>{@link org.postern.content.MessageView} is the one parse of a message after DATA, shared by every later stage
 * (auth, malware, classifier, rules). {@link org.postern.content.SpamClassifier} is an online logistic regression
 * over hashed binary features of that view in two views (words and facts; header 4-grams), stored in a versioned {@link org.postern.content.ModelFile}.
 * {@link org.postern.content.SclCalculator} combines its probability with named heuristic reasons (header anomalies,
 * phishing signs, lookalike domains, bulk level, authentication and blocklist evidence handed in as
 * {@link org.postern.content.SclInputs}) into the SCL of ARCHITECTURE.md.</p>
 *
 * <p>This package knows no socket, no tenant store and no SMTP reply: its inputs are a message and plain records,
 * its outputs values with stable reason codes. Whether a high SCL means junk, quarantine or an in-session refusal is
 * the policy's decision.</p>
 */
package org.postern.content;
