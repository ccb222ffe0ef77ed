/**
 * The inbound edge: wires each SMTP session ({@code smtp}) to the policy pipeline, the tenant directory, the
 * spool and the trace. It builds evidence from commands, maps decisions to replies in one catalogue, adds and
 * strips our headers, and makes a message durable and traced before it answers 250.
 * {@link org.postern.edge.Gateway} assembles a node; {@link org.postern.edge.Explainer} answers "what would happen".
 */
package org.postern.edge;
