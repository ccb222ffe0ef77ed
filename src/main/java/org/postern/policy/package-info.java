/**
 * Policy: what Postern decides at each SMTP phase, and why.
 *
 * <p>{@link org.postern.policy.Evidence} accumulates what a session has shown; each
 * {@link org.postern.policy.Stage} answers one question with a {@link org.postern.policy.Decision} carrying its
 * {@link org.postern.policy.Reason}s; {@link org.postern.policy.StandardPipeline} is the phase table of
 * ARCHITECTURE.md as code. This package knows no socket and writes no SMTP digits: the edge's reply catalogue
 * turns decisions into replies.</p>
 */
package org.postern.policy;
