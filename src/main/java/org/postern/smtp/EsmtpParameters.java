package org.postern.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters after a MAIL or RCPT path (RFC 5321 §4.1.2: {@code esmtp-param = esmtp-keyword ["=" esmtp-value]}).
 * Only parameters of extensions this server advertises are accepted; any other is refused with
 * {@code 555 5.5.4} as RFC 5321 §4.1.1.11 requires.
 */
final class EsmtpParameters {

    private static final Pattern SPACES = Pattern.compile(" +");

    /**
     * MAIL parameters of the advertised extensions: SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531), AUTH
     * (RFC 4954 §5) and REQUIRETLS (RFC 8689), which the session refuses where it does not advertise them.
     */
    private static final Set<String> MAIL_KEYWORDS = Set.of("SIZE", "BODY", "SMTPUTF8", "AUTH", "REQUIRETLS");
    /** No RCPT parameter is advertised (no DSN): NOTIFY and ORCPT are refused. */
    private static final Set<String> RCPT_KEYWORDS = Set.of();
    /** RFC 1870 §3: the SIZE value is 1*20DIGIT. */
    private static final int MAX_SIZE_DIGITS = 20;

    private EsmtpParameters() {
    }

    /**
     * Splits {@code text} (what follows the path, starting with SP or empty) into upper-cased keywords and raw
     * values ("" when valueless). Several SPs between parameters and trailing SPs are tolerated.
     */
    static Map<String, String> parse(String text, Verb verb) throws SmtpSyntaxException {
        Map<String, String> params = new LinkedHashMap<>();
        if (text.isEmpty()) return params;
        if (text.charAt(0) != ' ') throw syntax(verb);
        for (String token : SPACES.split(text.trim())) {
            if (token.isEmpty()) continue;
            int eq = token.indexOf('=');
            String keyword = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? "" : token.substring(eq + 1);
            if (!isKeyword(keyword) || (eq >= 0 && !isValue(value))) {
                throw new SmtpSyntaxException(501, "5.5.4", "Bad parameter syntax");
            }
            if (params.putIfAbsent(keyword, value) != null) {
                throw new SmtpSyntaxException(501, "5.5.4", "Duplicate parameter " + keyword);
            }
            Set<String> known = verb == Verb.MAIL ? MAIL_KEYWORDS : RCPT_KEYWORDS;
            if (!known.contains(keyword)) {
                throw new SmtpSyntaxException(555, "5.5.4", "Unsupported parameter " + keyword);
            }
        }
        return params;
    }

    /** RFC 1870 §3 SIZE value; a number too large for a long is "larger than any limit". */
    static OptionalLong size(Map<String, String> params) throws SmtpSyntaxException {
        String v = params.get("SIZE");
        if (v == null) return OptionalLong.empty();
        if (v.isEmpty() || v.length() > MAX_SIZE_DIGITS || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new SmtpSyntaxException(501, "5.5.4", "Bad SIZE parameter syntax");
        }
        return OptionalLong.of(v.length() > 18 ? Long.MAX_VALUE : Long.parseLong(v));
    }

    /**
     * BODY=7BIT or 8BITMIME (RFC 6152 §2), upper-cased, or "" when absent. BINARYMIME (RFC 3030 §3) is refused:
     * it is not advertised, because binary content is full of bare LFs, which we refuse as smuggling, and could
     * not be relayed to a downstream that speaks only DATA.
     */
    static String body(Map<String, String> params) throws SmtpSyntaxException {
        String v = params.get("BODY");
        if (v == null) return "";
        String upper = v.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "7BIT", "8BITMIME" -> upper;
            case "BINARYMIME" -> throw new SmtpSyntaxException(555, "5.5.4", "BODY=BINARYMIME is not supported");
            default -> throw new SmtpSyntaxException(501, "5.5.4", "Bad BODY parameter syntax");
        };
    }

    /** SMTPUTF8 takes no value (RFC 6531 §3.4). */
    static boolean smtpUtf8(Map<String, String> params) throws SmtpSyntaxException {
        String v = params.get("SMTPUTF8");
        if (v == null) return false;
        if (!v.isEmpty()) throw new SmtpSyntaxException(501, "5.5.4", "SMTPUTF8 takes no value");
        return true;
    }

    /** esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-") */
    private static boolean isKeyword(String k) {
        if (k.isEmpty() || !isAlnum(k.charAt(0))) return false;
        return k.chars().allMatch(c -> isAlnum((char) c) || c == '-');
    }

    /** esmtp-value = 1*(%d33-60 / %d62-126), extended with UTF-8 by RFC 6531 §3.3. */
    private static boolean isValue(String v) {
        return !v.isEmpty() && v.chars().allMatch(c -> c >= 0x80 || (c >= 33 && c <= 126 && c != '='));
    }

    private static boolean isAlnum(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static SmtpSyntaxException syntax(Verb verb) {
        return new SmtpSyntaxException(501, "5.5.4", verb == Verb.MAIL
                ? "Syntax: MAIL FROM:<address> [parameters]" : "Syntax: RCPT TO:<address> [parameters]");
    }
}
