/**
 * The node's durable queue and its delivery: the spool keeps every accepted message on disk until each
 * recipient is delivered or has failed, and the delivery scheduler hands it to the tenant's downstream
 * (SMTP, LMTP or a Maildir), retrying temporary failures with exponential backoff until the message expires.
 *
 * <p>Durability contract (ARCHITECTURE: "nothing is acknowledged with 250 before it is durable"): after
 * {@link org.postern.queue.Spool#commit} returns, content and envelope are fsynced and renamed into the queue
 * directory, and the directory itself is fsynced. Each recipient's state is rewritten atomically after every
 * attempt, so a restart re-delivers only what was in flight at the crash.
 *
 * <p>Every attempt for every recipient is reported to a {@link org.postern.queue.DeliveryListener} (the trace).
 * No bounce (DSN) is ever generated here: a permanent failure or an expiry is recorded in the trace, where the
 * tenant's admin can see it, and never sent to a sender that may be forged.
 *
 * <p>This package knows nothing of tenants' policies or of the SMTP edge; it is given an {@link
 * org.postern.queue.Envelope} and content bytes, and must not parse or change the content.
 */
package org.postern.queue;
