package org.postern.counters;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.JedisURIHelper;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Counters in Redis, shared by every node that uses the same server and prefix. Each operation is one Lua script,
 * so it is atomic however many nodes ask at once, and every key it writes expires by itself.
 *
 * <p>Keys (all under the prefix): {@code w:KEY:WINDOWMS:INDEX} a budget's count in one fixed window (expires after
 * two windows); {@code o:KEY} a hash of open counts, one field per node incarnation (expires an hour after the last
 * opening); {@code nodes} a hash of live incarnations and until when they are live. A tally counts only the fields of
 * live incarnations, so a node that dies with connections open stops counting {@link #NODE_TTL} later instead of
 * holding its clients' slots for ever. Liveness uses Redis's own clock ({@code TIME}), so nodes whose clocks differ
 * still agree.</p>
 *
 * <p>Compromise: the scripts touch only keys they are given, but a budget's two windows are not forced into one
 * hash slot, so this is for a single Redis (with replicas), not Redis Cluster.</p>
 */
public final class RedisCounters implements Counters {

    /** How long an incarnation counts without a heartbeat. */
    static final Duration NODE_TTL = Duration.ofSeconds(30);
    /** How often a live node says so; well inside {@link #NODE_TTL}. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration TALLY_TTL = Duration.ofHours(1);

    private static final String TAKE = """
            local curr = tonumber(redis.call('GET', KEYS[1]) or '0')
            local prev = tonumber(redis.call('GET', KEYS[2]) or '0')
            if prev * tonumber(ARGV[2]) + curr + 1 > tonumber(ARGV[1]) then return 0 end
            redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """;

    private static final String USED = """
            local curr = tonumber(redis.call('GET', KEYS[1]) or '0')
            local prev = tonumber(redis.call('GET', KEYS[2]) or '0')
            return tostring(prev * tonumber(ARGV[1]) + curr)
            """;

    /** Sums the fields of live incarnations and drops the others. KEYS[1] the tally, KEYS[2] the live nodes. */
    private static final String SUM = """
            local function now_ms()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local function live_sum(tally, nodes)
              local now = now_ms()
              local total = 0
              local all = redis.call('HGETALL', tally)
              for i = 1, #all, 2 do
                local until_ms = redis.call('HGET', nodes, all[i])
                if until_ms and tonumber(until_ms) >= now then
                  total = total + tonumber(all[i + 1])
                else
                  redis.call('HDEL', tally, all[i])
                end
              end
              return total
            end
            """;

    /** Also marks this incarnation live: a node that opens connections is alive even between heartbeats. */
    private static final String OPENED = SUM + """
            local nodes = KEYS[#KEYS]
            redis.call('HSET', nodes, ARGV[1], now_ms() + tonumber(ARGV[3]))
            redis.call('PEXPIRE', nodes, 2 * tonumber(ARGV[3]))
            local counts = {}
            for k = 1, #KEYS - 1 do
              redis.call('HINCRBY', KEYS[k], ARGV[1], 1)
              redis.call('PEXPIRE', KEYS[k], ARGV[2])
              counts[k] = live_sum(KEYS[k], nodes)
            end
            return counts
            """;

    private static final String CLOSED = """
            for k = 1, #KEYS do
              if redis.call('HINCRBY', KEYS[k], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[k], ARGV[1]) end
            end
            return 1
            """;

    private static final String OPEN_NOW = SUM + "return live_sum(KEYS[1], KEYS[2])\n";

    /** Marks this incarnation live until TIME + ARGV[2] ms and drops incarnations whose time has passed. */
    private static final String HEARTBEAT_SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('HSET', KEYS[1], ARGV[1], now + tonumber(ARGV[2]))
            redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[2]))
            local all = redis.call('HGETALL', KEYS[1])
            for i = 1, #all, 2 do
              if tonumber(all[i + 1]) < now then redis.call('HDEL', KEYS[1], all[i]) end
            end
            return 1
            """;

    private final RedisClient redis;
    private final String prefix;
    private final String incarnation;
    private final String nodesKey;
    private final Clock clock;

    private RedisCounters(RedisClient redis, String prefix, String node, Clock clock) {
        this.redis = redis;
        this.prefix = prefix;
        this.incarnation = node + ":" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        this.nodesKey = prefix + "nodes";
        this.clock = clock;
    }

    /**
     * A client for {@code url} ({@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS). Nothing is
     * sent yet: a Redis that is down at start is the same as one that goes down later.
     *
     * @param node    this node's name, part of its incarnation's id (readable in {@code HGETALL PREFIX nodes})
     * @param timeout connect and read timeout of every call: a slow Redis must not hold up a session for long
     */
    public static RedisCounters connect(String url, String prefix, String node, Duration timeout, Clock clock) {
        URI uri = URI.create(url);
        if (!JedisURIHelper.isValid(uri)) throw new IllegalArgumentException("not a redis:// or rediss:// URL with a host: " + url);
        int millis = (int) Math.max(1, timeout.toMillis());
        var config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis).socketTimeoutMillis(millis)
                .user(JedisURIHelper.getUser(uri)).password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri)).ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .clientName("postern-" + node.replaceAll("[^A-Za-z0-9._-]", "_"))
                .build();
        var pool = new GenericObjectPoolConfig<redis.clients.jedis.Connection>();
        // A script takes well under a millisecond, so 128 connections carry tens of thousands of calls per second. A
        // session that still finds none free within the timeout is treated like an unreachable Redis (counts alone)
        // rather than made to wait longer.
        pool.setMaxTotal(128);
        pool.setMaxIdle(128); // as many as may be open: a busy node must not close and reopen connections per command
        pool.setMaxWait(timeout);
        pool.setJmxEnabled(false);
        RedisClient client = RedisClient.builder().hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(config).poolConfig(pool).build();
        return new RedisCounters(client, prefix, node, clock);
    }

    @Override
    public boolean tryTake(String key, int limit, Duration window) {
        SlidingWindow w = SlidingWindow.at(clock.millis(), window);
        Object r = eval(TAKE, windowKeys(key, w), List.of(Integer.toString(limit), Double.toString(w.previousWeight()),
                Long.toString(2 * w.windowMillis() + 1000)));
        return r instanceof Long n && n == 1L;
    }

    @Override
    public double used(String key, Duration window) {
        SlidingWindow w = SlidingWindow.at(clock.millis(), window);
        Object r = eval(USED, windowKeys(key, w), List.of(Double.toString(w.previousWeight())));
        return Double.parseDouble(String.valueOf(r));
    }

    /** Both windows' keys in one DEL (one command, so atomic too). */
    @Override
    public void forget(String key, Duration window) {
        eval("return redis.call('DEL', KEYS[1], KEYS[2])", windowKeys(key, SlidingWindow.at(clock.millis(), window)), List.of());
    }

    @Override
    public long opened(String key) {
        return opened(List.of(key))[0];
    }

    /** Every tally in one script: keys, then the live nodes' hash last. */
    @Override
    public long[] opened(List<String> keys) {
        List<String> all = new java.util.ArrayList<>(keys.size() + 1);
        keys.forEach(k -> all.add(prefix + "o:" + k));
        all.add(nodesKey);
        Object r = eval(OPENED, all, List.of(incarnation, Long.toString(TALLY_TTL.toMillis()), Long.toString(NODE_TTL.toMillis())));
        return ((List<?>) r).stream().mapToLong(n -> (Long) n).toArray();
    }

    @Override
    public void closed(String key) {
        closed(List.of(key));
    }

    @Override
    public void closed(List<String> keys) {
        eval(CLOSED, keys.stream().map(k -> prefix + "o:" + k).toList(), List.of(incarnation));
    }

    @Override
    public long openNow(String key) {
        return (Long) eval(OPEN_NOW, List.of(prefix + "o:" + key, nodesKey), List.of());
    }

    /** Says this node is alive (its open counts count) for another {@link #NODE_TTL}. */
    public void heartbeat() {
        eval(HEARTBEAT_SCRIPT, List.of(nodesKey), List.of(incarnation, Long.toString(NODE_TTL.toMillis())));
    }

    /** Stops counting this node's open connections at once (a clean shutdown) and closes the pool. */
    @Override
    public void close() {
        try {
            redis.hdel(nodesKey, incarnation);
        } catch (RuntimeException e) {
            // Redis is away: the incarnation stops counting by itself after NODE_TTL.
        } finally {
            redis.close();
        }
    }

    /**
     * Runs one script. A broken connection (Redis restarted or went away) empties the pool's idle connections too:
     * they are broken alike, and each would otherwise fail one more call after Redis is back.
     */
    private Object eval(String script, List<String> keys, List<String> args) {
        try {
            return redis.eval(script, keys, args);
        } catch (JedisConnectionException e) {
            try {
                redis.getPool().clear();
            } catch (RuntimeException ignored) {
                // clearing is a courtesy; the failure below is what counts
            }
            throw e;
        }
    }

    private List<String> windowKeys(String key, SlidingWindow w) {
        String base = prefix + "w:" + key + ":" + w.windowMillis() + ":";
        return List.of(base + w.index(), base + (w.index() - 1));
    }
}
