/**
 * Counters that several edge nodes can share: windowed budgets ("at most N per minute") and tallies of things open
 * now (connections). {@link org.postern.counters.Counters} is the one API; {@link org.postern.counters.LocalCounters}
 * keeps them in this node's memory, {@link org.postern.counters.RedisCounters} in Redis (atomic Lua scripts with
 * expiry, one key prefix), and {@link org.postern.counters.ResilientCounters} uses Redis while it answers and this
 * node's own counters while it does not, so mail keeps flowing.
 *
 * <p>Neutral on purpose: it knows no SMTP, no tenant and no policy. The inbound limits ({@code policy}), outbound
 * recipient limits and AUTH-failure lockouts name their own keys.</p>
 */
package org.postern.counters;
