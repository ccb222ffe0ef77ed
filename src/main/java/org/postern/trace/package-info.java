/**
 * Message trace: the record of what happened to each transaction or refusal, the chain of decisions that
 * explains it, and its delivery attempts; plus how those attempts move a message's status
 * ({@link org.postern.trace.DeliveryStatusRule}).
 *
 * <p>Types and rules only. Storage is {@code org.postern.store} ({@code JdbcTraceStore}); this package knows
 * nothing of JDBC, sockets or tenants' configuration.
 */
package org.postern.trace;
