package org.postern.smtp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one command line (bytes, line ending removed) into a {@link Command}, or refuses it with a
 * {@link SmtpSyntaxException} whose reply is always 5xx. It knows no session state; the session checks order.
 *
 * <p>Octets are checked before any decoding: NUL and other control characters are refused outright (they have no
 * place in RFC 5321 command syntax and are a classic way to confuse log and header writers). Octets above 127 must
 * form valid UTF-8 and are only possible in MAIL and RCPT, the only commands RFC 6531 §3.3 extends; elsewhere they
 * get {@code 500 5.5.2}.</p>
 *
 * <p>Reply codes follow RFC 5321 §4.2.2 and RFC 3463 as Postfix uses them: 500 5.5.2 for an unrecognised line,
 * 501 5.5.4 for a known verb with bad arguments, 501 5.1.7 / 5.1.3 for a bad sender / recipient address, 555 5.5.4
 * for a parameter we do not implement (RFC 5321 §4.1.1.11).</p>
 */
final class CommandParser {

    private static final Pattern SPACES = Pattern.compile(" +");
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9_-]{1,20}");

    /** RFC 3030 §2: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ]; sizes past 18 digits are not credible. */
    private static final Pattern BDAT_ARGS = Pattern.compile("(\\d{1,18})(?: +(LAST))? *", Pattern.CASE_INSENSITIVE);

    private CommandParser() {
    }

    static Command parse(byte[] raw) throws SmtpSyntaxException {
        boolean eightBit = checkOctets(raw);
        String line = eightBit ? decodeUtf8(raw) : new String(raw, StandardCharsets.ISO_8859_1);
        int sp = line.indexOf(' ');
        String word = sp < 0 ? line : line.substring(0, sp);
        Verb verb = Verb.lookup(word).orElseThrow(
                () -> new SmtpSyntaxException(500, "5.5.2", "Error: command not recognized"));
        String args = sp < 0 ? "" : line.substring(sp + 1);
        if (eightBit && verb != Verb.MAIL && verb != Verb.RCPT) {
            throw new SmtpSyntaxException(500, "5.5.2", "Error: non-ASCII characters are allowed only in addresses");
        }
        return switch (verb) {
            case HELO, EHLO -> hello(verb, args);
            case MAIL -> mail(args, eightBit);
            case RCPT -> rcpt(args, eightBit);
            case BDAT -> bdat(args);
            case DATA, RSET, QUIT, STARTTLS -> noArguments(verb, args);
            case VRFY, EXPN -> withArgument(verb, args);
            case AUTH -> auth(args);
            case NOOP, HELP, GET, POST, HEAD, PUT, CONNECT -> new Command.Simple(verb);
        };
    }

    /** @return whether the line holds octets above 127 */
    private static boolean checkOctets(byte[] raw) throws SmtpSyntaxException {
        boolean eightBit = false;
        for (byte b : raw) {
            if (b == 0) throw new SmtpSyntaxException(500, "5.5.2", "Error: NUL character in command");
            if ((b >= 0 && b < 0x20) || b == 0x7f) {
                throw new SmtpSyntaxException(500, "5.5.2", "Error: control character in command");
            }
            if (b < 0) eightBit = true;
        }
        return eightBit;
    }

    private static String decodeUtf8(byte[] raw) throws SmtpSyntaxException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new SmtpSyntaxException(500, "5.5.2", "Error: bad UTF-8 syntax");
        }
    }

    /**
     * RFC 5321 §4.1.1.1: one argument, a domain or address literal. Its syntax is not judged here: clients send
     * bare host names, underscores and worse, and the policy layer weighs the HELO name as evidence. Only what
     * would be unsafe to pass on (spaces, controls, non-ASCII) is refused.
     */
    private static Command hello(Verb verb, String args) throws SmtpSyntaxException {
        String name = stripTrailingSpaces(args);
        if (name.isEmpty() || name.indexOf(' ') >= 0) {
            throw new SmtpSyntaxException(501, "5.5.4", "Syntax: " + verb + " hostname");
        }
        return new Command.Hello(verb, new HeloInfo(name, verb == Verb.EHLO));
    }

    private static Command mail(String args, boolean eightBit) throws SmtpSyntaxException {
        int at = pathStart(args, "FROM:", "Syntax: MAIL FROM:<address>");
        PathParser.Parsed path = PathParser.parse(args, at, PathParser.Kind.REVERSE);
        Map<String, String> params = EsmtpParameters.parse(args.substring(path.end()), Verb.MAIL);
        MailFrom mailFrom = new MailFrom(path.address(), EsmtpParameters.size(params),
                EsmtpParameters.smtpUtf8(params), EsmtpParameters.body(params), params);
        return new Command.Mail(mailFrom, eightBit);
    }

    private static Command rcpt(String args, boolean eightBit) throws SmtpSyntaxException {
        int at = pathStart(args, "TO:", "Syntax: RCPT TO:<address>");
        PathParser.Parsed path = PathParser.parse(args, at, PathParser.Kind.FORWARD);
        Map<String, String> params = EsmtpParameters.parse(args.substring(path.end()), Verb.RCPT);
        return new Command.Rcpt(new RcptTo(path.address(), params), eightBit);
    }

    /**
     * Where the path begins after "FROM:" / "TO:". RFC 5321 allows no space there; one space is such a common
     * client habit that refusing it would refuse real mail, so exactly one is tolerated.
     */
    private static int pathStart(String args, String prefix, String usage) throws SmtpSyntaxException {
        if (!args.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new SmtpSyntaxException(501, "5.5.4", usage);
        }
        int at = prefix.length();
        if (at < args.length() && args.charAt(at) == ' ') at++;
        if (at >= args.length() || args.charAt(at) != '<') throw new SmtpSyntaxException(501, "5.5.4", usage);
        return at;
    }

    private static Command bdat(String args) throws SmtpSyntaxException {
        Matcher m = BDAT_ARGS.matcher(args);
        if (!m.matches()) throw new SmtpSyntaxException(501, "5.5.4", "Syntax: BDAT count [LAST]");
        return new Command.Bdat(Long.parseLong(m.group(1)), m.group(2) != null);
    }

    /** RFC 4954 §4: {@code AUTH mechanism [initial-response]}; mechanism names are case-insensitive. */
    private static Command auth(String args) throws SmtpSyntaxException {
        String[] words = SPACES.split(stripTrailingSpaces(args), -1);
        if (words.length < 1 || words.length > 2 || words[0].isEmpty() || !KEYWORD.matcher(words[0]).matches()) {
            throw new SmtpSyntaxException(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
        }
        return new Command.Auth(words[0].toUpperCase(java.util.Locale.ROOT),
                words.length == 2 ? java.util.Optional.of(words[1]) : java.util.Optional.empty());
    }

    private static Command noArguments(Verb verb, String args) throws SmtpSyntaxException {
        if (!stripTrailingSpaces(args).isEmpty()) throw new SmtpSyntaxException(501, "5.5.4", "Syntax: " + verb);
        return new Command.Simple(verb);
    }

    private static Command withArgument(Verb verb, String args) throws SmtpSyntaxException {
        if (stripTrailingSpaces(args).isEmpty()) {
            throw new SmtpSyntaxException(501, "5.5.4", "Syntax: " + verb + " address");
        }
        return new Command.Simple(verb);
    }

    private static String stripTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') end--;
        return s.substring(0, end);
    }
}
