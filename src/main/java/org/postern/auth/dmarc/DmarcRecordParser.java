package org.postern.auth.dmarc;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 7489 §6.3/§6.4 record syntax. A TXT string is one of three things: not a DMARC record at all (it does not
 * start with {@code v=DMARC1}; discovery discards it, §6.6.3 steps 2 and 4), a DMARC record without a usable
 * policy (§6.6.3 step 6.2), or a valid record.
 */
public final class DmarcRecordParser {

    /** The result of parsing one TXT string. */
    public sealed interface Parsed {
        /** A usable record. */
        record Valid(DmarcRecord record) implements Parsed { }

        /** Starts with {@code v=DMARC1} but has no usable policy and no valid {@code rua} to fall back on. */
        record Invalid(String why) implements Parsed { }

        /** Does not start with {@code v=DMARC1}: some other TXT record, ignored by discovery. */
        record NotDmarc() implements Parsed { }
    }

    private static final long DEFAULT_INTERVAL = 86_400;

    private DmarcRecordParser() {
    }

    public static Parsed parse(String txt) {
        String[] parts = txt.split(";", -1);
        if (!isVersionTag(parts[0])) return new Parsed.NotDmarc();
        List<String> warnings = new ArrayList<>();
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty()) continue; // a trailing ";" is allowed (dmarc-sep at the end)
            int eq = part.indexOf('=');
            if (eq <= 0) {
                warnings.add("ignored malformed tag '" + part + "'");
                continue;
            }
            String name = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).strip();
            if (tags.putIfAbsent(name, value) != null) warnings.add("ignored repeated tag '" + name + "'");
        }
        return build(tags, warnings);
    }

    /** §6.4: {@code dmarc-version = "v" *WSP "=" *WSP %x44 %x4d %x41 %x52 %x43 %x31}; the value is case-sensitive. */
    private static boolean isVersionTag(String first) {
        int eq = first.indexOf('=');
        return eq > 0
                && first.substring(0, eq).strip().equalsIgnoreCase("v")
                && first.substring(eq + 1).strip().equals("DMARC1");
    }

    private static Parsed build(Map<String, String> tags, List<String> warnings) {
        List<ReportUri> rua = uris(tags.get("rua"), "rua", warnings);
        List<ReportUri> ruf = uris(tags.get("ruf"), "ruf", warnings);
        Optional<DmarcPolicy> p = Optional.ofNullable(tags.get("p")).flatMap(DmarcPolicy::parse);
        Optional<DmarcPolicy> sp = Optional.ofNullable(tags.get("sp")).flatMap(DmarcPolicy::parse);
        boolean spInvalid = tags.containsKey("sp") && sp.isEmpty();
        boolean impliedByRua = false;
        if (p.isEmpty() || spInvalid) {
            String problem = p.isEmpty()
                    ? (tags.containsKey("p") ? "invalid p=" + tags.get("p") : "no p tag")
                    : "invalid sp=" + tags.get("sp");
            // §6.6.3 step 6: with a valid rua, act as if "v=DMARC1; p=none" was published; otherwise no DMARC.
            if (rua.isEmpty()) return new Parsed.Invalid(problem);
            warnings.add(problem + "; read as p=none because rua is valid (RFC 7489 §6.6.3)");
            impliedByRua = true;
            p = Optional.of(DmarcPolicy.NONE);
            sp = Optional.empty();
        }
        return new Parsed.Valid(new DmarcRecord(
                p.get(),
                sp,
                percent(tags.get("pct"), warnings),
                mode(tags.get("adkim"), "adkim", warnings),
                mode(tags.get("aspf"), "aspf", warnings),
                rua,
                ruf,
                failureOptions(tags.get("fo"), warnings),
                formats(tags.get("rf")),
                interval(tags.get("ri"), warnings),
                impliedByRua,
                warnings));
    }

    private static int percent(String value, List<String> warnings) {
        if (value == null) return 100;
        if (value.matches("[0-9]{1,3}")) {
            int pct = Integer.parseInt(value);
            if (pct <= 100) return pct;
        }
        warnings.add("invalid pct=" + value + ", using 100");
        return 100;
    }

    private static AlignmentMode mode(String value, String tag, List<String> warnings) {
        if (value == null) return AlignmentMode.RELAXED;
        Optional<AlignmentMode> mode = AlignmentMode.parse(value);
        if (mode.isEmpty()) warnings.add("invalid " + tag + "=" + value + ", using r");
        return mode.orElse(AlignmentMode.RELAXED);
    }

    private static List<ReportUri> uris(String value, String tag, List<String> warnings) {
        List<ReportUri> uris = new ArrayList<>();
        if (value == null) return uris;
        for (String item : value.split(",")) {
            Optional<ReportUri> uri = ReportUri.parse(item);
            if (uri.isPresent()) {
                uris.add(uri.get());
            } else {
                warnings.add("ignored invalid " + tag + " URI '" + item.strip() + "'");
            }
        }
        return uris;
    }

    private static Set<FailureOption> failureOptions(String value, List<String> warnings) {
        Set<FailureOption> options = EnumSet.noneOf(FailureOption.class);
        if (value != null) {
            for (String item : value.split(":")) {
                Optional<FailureOption> o = FailureOption.parse(item.strip());
                if (o.isPresent()) options.add(o.get());
                else warnings.add("ignored invalid fo option '" + item.strip() + "'");
            }
        }
        if (options.isEmpty()) options.add(FailureOption.ALL_FAIL);
        return options;
    }

    private static List<String> formats(String value) {
        if (value == null) return List.of("afrf");
        List<String> formats = new ArrayList<>();
        for (String item : value.split(":")) {
            if (!item.isBlank()) formats.add(item.strip().toLowerCase(Locale.ROOT));
        }
        return formats.isEmpty() ? List.of("afrf") : formats;
    }

    private static long interval(String value, List<String> warnings) {
        if (value == null) return DEFAULT_INTERVAL;
        if (value.matches("[0-9]{1,10}")) {
            long ri = Long.parseLong(value);
            if (ri <= 0xFFFF_FFFFL) return ri;
        }
        warnings.add("invalid ri=" + value + ", using " + DEFAULT_INTERVAL);
        return DEFAULT_INTERVAL;
    }
}
