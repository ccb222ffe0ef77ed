/**
 * The inbound edge: wires each SMTP session ({@code smtp}) to the policy pipeline, the tenant directory, the
 * spool and the trace. It builds evidence from commands, maps decisions to replies in one catalogue, adds and
 * strips our headers, and makes a message durable and traced before it answers 250. The same sessions serve the
 * submission listeners: {@link org.postern.edge.Submission} authenticates users (with lockout) and holds the
 * outbound questions; a tenant's own mail is queued marked outbound for internet delivery.
 * {@link org.postern.edge.Gateway} assembles a node; {@link org.postern.edge.Explainer} answers "what would happen".
 */
package org.postern.edge;
