package org.postern.admin;

import org.postern.tenant.Tenant;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The operator's dashboard: tenants, queue depth, the last 24 hours' messages per hour by verdict (an inline SVG,
 * no script) and the clients refused most, as the model of dashboard.jte. Reads the newest {@value #SAMPLE} trace records of the day — a known
 * compromise: on a node busier than that, the chart covers the most recent part of the day only, and says so.
 */
final class Dashboard {

    static final int SAMPLE = 10_000;
    private static final List<TraceStatus> SHOWN = List.of(TraceStatus.Delivered, TraceStatus.Queued, TraceStatus.Junk,
            TraceStatus.Quarantined, TraceStatus.Rejected, TraceStatus.Malware);
    private static final Map<TraceStatus, String> COLOR = Map.of(TraceStatus.Delivered, "#1a7f37", TraceStatus.Queued, "#6cc57c",
            TraceStatus.Junk, "#d4a72c", TraceStatus.Quarantined, "#9a6700", TraceStatus.Rejected, "#b42318", TraceStatus.Malware, "#6e1410");

    private final AdminServices s;

    Dashboard(AdminServices s) {
        this.s = s;
    }

    /** A figure on top of the page. */
    record Card(String name, long value) { }

    record Refused(String client, long count) { }

    record TenantRow(String id, String domains, String delivery) { }

    /** {@code capped}: the day held more than {@value #SAMPLE} messages, so the counts cover its newest part only. */
    record Page(Views.Nav nav, List<Card> cards, Chart chart, boolean capped, List<Refused> refused, List<TenantRow> tenants) { }

    record Bar(int x, double y, int width, double height, String fill, String title) { }

    record Tick(int x, String hour) { }

    record Key(int x, String fill, String name) { }

    /** Stacked bars, one per hour, with a legend; {@code max} is the busiest hour's count, the top of the scale. */
    record Chart(int width, int height, List<Bar> bars, List<Tick> ticks, List<Key> legend, int max) { }

    Page page(Views.Nav nav) {
        Instant now = s.clock().instant();
        Instant start = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23));
        List<TraceRecord> day = s.trace().search(new TraceQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(start), Optional.empty(), SAMPLE, 0));
        List<Tenant> tenants = s.catalog().all();
        List<Card> cards = List.of(new Card("Tenants", tenants.size()), new Card("Queue depth", s.queueDepth().getAsInt()),
                new Card("Messages, 24 h", day.size()), new Card("Refused, 24 h", day.stream().filter(r -> r.status() == TraceStatus.Rejected).count()));
        List<Refused> refused = day.stream().filter(r -> r.status() == TraceStatus.Rejected)
                .collect(Collectors.groupingBy(TraceRecord::clientIp, Collectors.counting()))
                .entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .map(e -> new Refused(e.getKey(), e.getValue())).toList();
        List<TenantRow> rows = tenants.stream().map(t -> new TenantRow(t.id(), String.join(", ", new TreeSet<>(t.domains())), t.delivery())).toList();
        return new Page(nav, cards, chart(day, start), day.size() == SAMPLE, refused, rows);
    }

    static Chart chart(List<TraceRecord> records, Instant start) {
        Map<Integer, Map<TraceStatus, Integer>> perHour = new TreeMap<>();
        for (TraceRecord r : records) {
            int h = (int) Duration.between(start, r.receivedAt()).toHours();
            if (h < 0 || h > 23) continue;
            TraceStatus st = SHOWN.contains(r.status()) ? r.status() : TraceStatus.Queued;
            perHour.computeIfAbsent(h, k -> new EnumMap<>(TraceStatus.class)).merge(st, 1, Integer::sum);
        }
        int max = Math.max(1, perHour.values().stream().mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).max().orElse(1));
        int w = 960, h = 200, bar = w / 24;
        List<Bar> bars = new ArrayList<>();
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            double y = h;
            for (TraceStatus st : SHOWN) {
                int n = perHour.getOrDefault(i, Map.of()).getOrDefault(st, 0);
                if (n == 0) continue;
                double height = (double) n / max * (h - 10);
                y -= height;
                bars.add(new Bar(i * bar + 3, tenth(y), bar - 6, tenth(height), COLOR.get(st), st + ": " + n));
            }
            if (i % 3 == 0) ticks.add(new Tick(i * bar + 3, start.plus(Duration.ofHours(i)).toString().substring(11, 16)));
        }
        List<Key> legend = new ArrayList<>();
        for (int i = 0; i < SHOWN.size(); i++) legend.add(new Key(i * 110, COLOR.get(SHOWN.get(i)), SHOWN.get(i).name()));
        return new Chart(w, h, bars, ticks, legend, max);
    }

    /** Tenths of a pixel are plenty and keep the SVG short. */
    private static double tenth(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
