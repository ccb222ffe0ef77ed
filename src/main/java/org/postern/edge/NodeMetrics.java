package org.postern.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.postern.dns.DnsResolver;
import org.postern.smtp.SessionHandler;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStore;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's Prometheus metrics ({@code postern_*}): sessions, messages by verdict and tenant, per-phase latency
 * histograms, queue depth and DNS latency. Instruments by decoration — the session, the resolver and the trace
 * store the edge writes through — so the code that decides knows nothing of metrics.
 */
public final class NodeMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public NodeMetrics() {
        io.micrometer.core.instrument.Metrics.addRegistry(registry); // meters kept by code without a node at hand (classifier time)
    }

    @Override
    public void close() {
        io.micrometer.core.instrument.Metrics.removeRegistry(registry);
    }

    public PrometheusMeterRegistry registry() { return registry; }

    public <T> void gauge(String name, String help, T target, ToDoubleFunction<T> value) {
        Gauge.builder(name, target, value).description(help).register(registry);
    }

    Timer phase(String phase) {
        return Timer.builder("postern_phase_seconds").description("time to decide one SMTP phase (end of DATA includes content filtering)")
                .tag("phase", phase).publishPercentileHistogram().register(registry);
    }

    /** Counts the messages the edge traces, by verdict and tenant. */
    TraceStore metered(TraceStore trace) {
        return new TraceStore() {
            public void record(TraceRecord r) {
                trace.record(r);
                Counter.builder("postern_messages_total").description("messages and refusals traced by the edge, by verdict and tenant")
                        .tag("verdict", r.status().name()).tag("tenant", r.tenant().orElse("none")).register(registry).increment();
            }
            public void delivery(DeliveryEvent event) { trace.delivery(event); }
            public List<TraceRecord> search(TraceQuery query) { return trace.search(query); }
            public List<DeliveryEvent> deliveries(String ref) { return trace.deliveries(ref); }
        };
    }

    /** Times every lookup ({@code postern_dns_seconds{type}}). */
    DnsResolver timed(DnsResolver dns) {
        return new DnsResolver() {
            public Answer<String> ptr(InetAddress address) { return time("ptr", () -> dns.ptr(address)); }
            public Answer<InetAddress> addresses(String name) { return time("a", () -> dns.addresses(name)); }
            // Delegated, not left to the interface defaults: those ask A and AAAA for an A question (DNS lists
            // would send every query twice).
            public Answer<InetAddress> a(String name) { return time("a", () -> dns.a(name)); }
            public Answer<InetAddress> aaaa(String name) { return time("aaaa", () -> dns.aaaa(name)); }
            public Answer<String> txt(String name) { return time("txt", () -> dns.txt(name)); }
            public Answer<Mx> mx(String name) { return time("mx", () -> dns.mx(name)); }
        };
    }

    private <T> T time(String type, Supplier<T> lookup) {
        return Timer.builder("postern_dns_seconds").description("DNS lookup latency").tag("type", type).publishPercentileHistogram()
                .register(registry).record(lookup);
    }

    SessionHandler metered(SessionHandler session) {
        return new MeteredSession(session, this);
    }

    static Duration since(long startNanos) { return Duration.ofNanos(System.nanoTime() - startNanos); }
}
