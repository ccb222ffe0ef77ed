package org.postern.edge;

import org.postern.config.OperatorConfig;
import org.postern.config.Units;
import org.postern.counters.Counters;
import org.postern.counters.LocalCounters;
import org.postern.counters.RedisCounters;
import org.postern.counters.ResilientCounters;
import org.postern.policy.ClientCounters;
import org.postern.policy.LocalClientCounters;
import org.postern.policy.SharedClientCounters;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The counters a node counts with: with {@code redis:} configured, shared by every node (falling back to this node's
 * own while Redis is away); without, this node's own, as before.
 *
 * @param counters the generic API (budgets, open tallies) for any limit: inbound, outbound, AUTH lockouts
 * @param clients  the inbound per-client limits the policy stages read
 * @param shared   present when Redis is configured: whether it is in fallback now
 */
public record NodeCounters(Counters counters, ClientCounters clients, Optional<ResilientCounters> shared) implements AutoCloseable {

    /** How long a node counts alone after Redis failed before asking it again. */
    static final Duration RETRY = Duration.ofSeconds(1);

    static NodeCounters open(OperatorConfig config, Clock clock) {
        LocalClientCounters node = new LocalClientCounters(clock);
        if (config.redis().isEmpty()) return new NodeCounters(new LocalCounters(clock), node, Optional.empty());
        OperatorConfig.Redis r = config.redis().get();
        RedisCounters redis = RedisCounters.connect(r.url(), r.prefix(), config.node().nodeName(), Units.duration(r.timeout()), clock);
        ResilientCounters shared = new ResilientCounters(redis, new LocalCounters(clock), RETRY, withoutPassword(r.url()));
        return new NodeCounters(shared, new SharedClientCounters(shared, node), Optional.of(shared));
    }

    static String withoutPassword(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    /** 1 while Redis is configured and away (the node counts alone), else 0. */
    double fallbackGauge() {
        return shared.map(s -> s.inFallback() ? 1.0 : 0.0).orElse(0.0);
    }

    @Override
    public void close() {
        counters.close();
    }
}
