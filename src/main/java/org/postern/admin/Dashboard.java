package org.postern.admin;

import org.postern.tenant.Tenant;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.postern.admin.Html.esc;
import static org.postern.admin.Html.url;

/**
 * The operator's dashboard: tenants, queue depth, the last 24 hours' messages per hour by verdict (an inline SVG,
 * no script) and the clients refused most. Reads the newest {@value #SAMPLE} trace records of the day — a known
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

    String html() {
        Instant now = s.clock().instant();
        Instant start = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23));
        List<TraceRecord> day = s.trace().search(new TraceQuery(java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.of(start), java.util.Optional.empty(), SAMPLE, 0));
        List<Tenant> tenants = s.catalog().all();
        StringBuilder b = new StringBuilder("<div class=\"cards\">");
        card(b, "Tenants", tenants.size());
        card(b, "Queue depth", s.queueDepth().getAsInt());
        card(b, "Messages, 24 h", day.size());
        card(b, "Refused, 24 h", day.stream().filter(r -> r.status() == TraceStatus.Rejected).count());
        b.append("</div><h2>Messages per hour by verdict</h2>").append(chart(day, start));
        if (day.size() == SAMPLE) b.append("<p class=\"muted\">Only the newest ").append(SAMPLE).append(" messages are counted.</p>");
        b.append("<h2>Top refused clients</h2><table><thead><tr><th>Client IP</th><th>Refusals</th></tr></thead><tbody>");
        day.stream().filter(r -> r.status() == TraceStatus.Rejected).collect(Collectors.groupingBy(TraceRecord::clientIp, Collectors.counting()))
                .entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .forEach(e -> b.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(e.getValue()).append("</td></tr>"));
        b.append("</tbody></table><h2>Tenants</h2><table><thead><tr><th>Tenant</th><th>Domains</th><th>Delivery</th></tr></thead><tbody>");
        for (Tenant t : tenants) {
            b.append("<tr><td><a href=\"/t/").append(esc(url(t.id()))).append("/trace\">").append(esc(t.id())).append("</a></td><td>")
                    .append(esc(String.join(", ", new java.util.TreeSet<>(t.domains())))).append("</td><td>").append(esc(t.delivery())).append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private static void card(StringBuilder b, String name, long value) {
        b.append("<div class=\"card\"><b>").append(value).append("</b>").append(esc(name)).append("</div>");
    }

    /** Stacked bars, one per hour, with a legend; drawn as SVG shapes only. */
    static String chart(List<TraceRecord> records, Instant start) {
        Map<Integer, Map<TraceStatus, Integer>> perHour = new TreeMap<>();
        for (TraceRecord r : records) {
            int h = (int) Duration.between(start, r.receivedAt()).toHours();
            if (h < 0 || h > 23) continue;
            TraceStatus st = SHOWN.contains(r.status()) ? r.status() : TraceStatus.Queued;
            perHour.computeIfAbsent(h, k -> new EnumMap<>(TraceStatus.class)).merge(st, 1, Integer::sum);
        }
        int max = Math.max(1, perHour.values().stream().mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).max().orElse(1));
        int w = 960, h = 200, bar = w / 24;
        StringBuilder svg = new StringBuilder("<svg role=\"img\" aria-label=\"messages per hour by verdict\" viewBox=\"0 0 " + w + " " + (h + 40)
                + "\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\"><rect x=\"0\" y=\"0\" width=\"" + w + "\" height=\"" + h + "\" fill=\"#fff\" stroke=\"#dde2ea\"/>");
        for (int i = 0; i < 24; i++) {
            double y = h;
            for (TraceStatus st : SHOWN) {
                int n = perHour.getOrDefault(i, Map.of()).getOrDefault(st, 0);
                if (n == 0) continue;
                double height = (double) n / max * (h - 10);
                y -= height;
                svg.append(String.format(java.util.Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s: %d</title></rect>",
                        i * bar + 3, y, bar - 6, height, COLOR.get(st), st, n));
            }
            if (i % 3 == 0) {
                svg.append("<text x=\"").append(i * bar + 3).append("\" y=\"").append(h + 14).append("\" font-size=\"11\" fill=\"#5b6473\">")
                        .append(start.plus(Duration.ofHours(i)).toString().substring(11, 16)).append("</text>");
            }
        }
        int x = 0;
        for (TraceStatus st : SHOWN) {
            svg.append("<rect x=\"").append(x).append("\" y=\"").append(h + 24).append("\" width=\"10\" height=\"10\" fill=\"").append(COLOR.get(st))
                    .append("\"/><text x=\"").append(x + 14).append("\" y=\"").append(h + 33).append("\" font-size=\"11\" fill=\"#1d2330\">").append(st).append("</text>");
            x += 110;
        }
        svg.append("<text x=\"").append(w - 4).append("\" y=\"12\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6473\">max ").append(max).append("/h</text>");
        return svg.append("</svg>").toString();
    }
}
