package org.postern.content;

import org.apache.james.mime4j.field.datetime.parser.DateTimeParser;
import org.apache.james.mime4j.field.datetime.parser.ParseException;
import org.apache.james.mime4j.field.datetime.parser.TokenMgrError;

import java.io.StringReader;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Header facts checked against the session that legitimate mail software gets right and spamware often does not: a
 * plausible Date, an honest HELO (RFC 5321 §4.1.1.1), no Received field forged in this gateway's name. What the
 * message shows by itself (a required field missing, malformed MIME) is in {@link MessageSigns}.
 */
final class HeaderAnomalies {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private static final Duration FUTURE_SLACK = Duration.ofHours(24);
    private static final Duration PAST_LIMIT = Duration.ofDays(30);

    private HeaderAnomalies() {
    }

    static List<ContentReason> find(MessageView view, SclInputs in, SclWeights w) {
        List<ContentReason> reasons = new ArrayList<>();
        date(view, in, w, reasons);
        helo(in, w, reasons);
        forgedReceived(view, in, w, reasons);
        return reasons;
    }

    private static void date(MessageView view, SclInputs in, SclWeights w, List<ContentReason> reasons) {
        if (in.receivedAt().isEmpty()) return;
        Optional<Instant> date = view.header("Date").flatMap(HeaderAnomalies::parseDate);
        if (date.isEmpty()) return;
        Instant received = in.receivedAt().get();
        if (date.get().isAfter(received.plus(FUTURE_SLACK))) {
            add(reasons, w, ContentReasonCode.DATE_IN_FUTURE, date.get().toString());
        } else if (date.get().isBefore(received.minus(PAST_LIMIT))) {
            add(reasons, w, ContentReasonCode.DATE_LONG_AGO, date.get().toString());
        }
    }

    /** The form nearly every mail program writes, with an optional zone comment ("(UTC)") after it; four-digit year. */
    private static final Pattern USUAL_DATE = Pattern.compile("(?:[A-Z][a-z]{2}, )?(\\d{1,2}) ([A-Z][a-z]{2}) (\\d{4}) "
            + "(\\d{2}):(\\d{2})(?::(\\d{2}))? ([+-]\\d{4}|GMT)(?: \\([A-Za-z0-9 +:-]{1,40}\\))?");
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /**
     * RFC 5322 §3.3 dates, empty when unparseable. The usual form is read from the pattern's groups (java.time's
     * RFC 1123 parser costs more than the rest of the header checks); anything else (obsolete zones, two-digit
     * years, other comments) by mime4j's parser, which allocates some 40 KB of buffers per call.
     */
    static Optional<Instant> parseDate(String value) {
        String date = value.strip();
        if (date.contains("  ")) date = WHITESPACE.matcher(date).replaceAll(" "); // Postfix pads the day: "Sun,  1 Dec 2026"
        Matcher usual = USUAL_DATE.matcher(date);
        int month = usual.matches() ? MONTHS.indexOf(usual.group(2)) : -1;
        if (month >= 0 && month % 3 == 0) {
            try {
                LocalDateTime local = LocalDateTime.of(Integer.parseInt(usual.group(3)), month / 3 + 1,
                        Integer.parseInt(usual.group(1)), Integer.parseInt(usual.group(4)), Integer.parseInt(usual.group(5)),
                        usual.group(6) == null ? 0 : Integer.parseInt(usual.group(6)));
                String zone = usual.group(7);
                int offset = zone.equals("GMT") ? 0 : (zone.charAt(0) == '-' ? -1 : 1)
                        * (Integer.parseInt(zone.substring(1, 3)) * 3600 + Integer.parseInt(zone.substring(3, 5)) * 60);
                return Optional.of(local.toInstant(ZoneOffset.ofTotalSeconds(offset)));
            } catch (DateTimeException outOfRange) {
                // "32 Sep", "25:00", "+9900": the full grammar below is more forgiving
            }
        }
        try {
            return Optional.of(new DateTimeParser(new StringReader(date)).parseAll().getDate().toInstant());
        } catch (ParseException | TokenMgrError | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void helo(SclInputs in, SclWeights w, List<ContentReason> reasons) {
        if (in.helo().isEmpty()) return;
        String helo = in.helo().get().strip().toLowerCase(Locale.ROOT);
        if (helo.startsWith("[") && helo.endsWith("]")) {
            String literal = helo.substring(1, helo.length() - 1).replaceFirst("^ipv6:", "");
            Optional<String> client = in.clientIp().map(InetAddress::getHostAddress);
            if (client.isPresent() && !sameAddress(literal, in.clientIp().get())) {
                add(reasons, w, ContentReasonCode.HELO_IP_MISMATCH, helo + " from " + client.get());
            }
            return;
        }
        if (helo.indexOf('.') < 0 || helo.endsWith(".")) {
            add(reasons, w, ContentReasonCode.HELO_NOT_FQDN, helo);
            return;
        }
        String heloOrg = LinkAnalysis.organisationOf(helo);
        for (String own : in.tenantDomains()) {
            if (LinkAnalysis.organisationOf(own).equals(heloOrg)) {
                add(reasons, w, ContentReasonCode.HELO_CLAIMS_TENANT, helo);
                return;
            }
        }
        in.clientName().map(String::toLowerCase).map(LinkAnalysis::organisationOf)
                .filter(ptrOrg -> !ptrOrg.equals(heloOrg))
                .ifPresent(ptrOrg -> add(reasons, w, ContentReasonCode.HELO_PTR_MISMATCH, helo + " vs " + in.clientName().get()));
    }

    private static boolean sameAddress(String literal, InetAddress client) {
        try {
            return com.google.common.net.InetAddresses.forString(literal).equals(client);
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
    }

    /** A Received field below the gateway's own claiming to be written "by" the gateway is a forgery. */
    private static void forgedReceived(MessageView view, SclInputs in, SclWeights w, List<ContentReason> reasons) {
        if (in.gatewayHostname().isBlank()) return;
        String by = "by " + in.gatewayHostname().toLowerCase(Locale.ROOT);
        List<String> received = view.headerValues("Received");
        for (int i = Math.min(in.gatewayFieldsOnTop(), received.size()); i < received.size(); i++) {
            if (WHITESPACE.matcher(received.get(i).toLowerCase(Locale.ROOT)).replaceAll(" ").contains(by)) {
                add(reasons, w, ContentReasonCode.FORGED_RECEIVED, "Received #" + (i + 1) + " claims " + by);
                return;
            }
        }
    }

    private static void add(List<ContentReason> reasons, SclWeights w, ContentReasonCode code, String detail) {
        reasons.add(new ContentReason(code, detail, w.of(code)));
    }
}
