package org.postern.content;

import org.mozilla.universalchardet.Constants;
import org.mozilla.universalchardet.UniversalDetector;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Bytes to Unicode the way mail clients do it, not the way the RFCs wish: labels are mapped as browsers map them
 * (ISO-8859-1 read as windows-1252, GB2312 as GBK), and undeclared or "us-ascii" 8-bit text is tried as UTF-8 first,
 * then as what Mozilla's charset detector (juniversalchardet) recognises of the East Asian and Cyrillic legacy
 * charsets, then as windows-1252.
 */
final class TextDecoding {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** Labels whose Java charset is a narrower relative of what senders really use (WHATWG Encoding Standard). */
    private static final Map<String, String> SUPERSETS = Map.of(
            "iso-8859-1", "windows-1252", "latin1", "windows-1252", "us-ascii", "windows-1252",
            "ascii", "windows-1252", "gb2312", "GBK", "euc-cn", "GBK", "iso-8859-8-i", "ISO-8859-8",
            "ks_c_5601-1987", "x-windows-949", "x-sjis", "Shift_JIS", "iso-8859-9", "windows-1254");

    private TextDecoding() {
    }

    /** The charset for a declared label, when Java knows one for it. */
    static Optional<Charset> charsetFor(String label) {
        String l = label.strip().toLowerCase(Locale.ROOT);
        if (l.startsWith("\"") && l.endsWith("\"") && l.length() > 1) l = l.substring(1, l.length() - 1);
        if (l.isEmpty()) return Optional.empty();
        String name = SUPERSETS.getOrDefault(l, l);
        try {
            return Optional.of(Charset.forName(name));
        } catch (RuntimeException unknownOrIllegal) {
            return Optional.empty();
        }
    }

    /**
     * Decodes text bytes. A missing or unknown label, or plain ASCII declared for 8-bit bytes, is read as UTF-8 when
     * the bytes are valid UTF-8, else as the legacy charset {@link #detected} finds, else as windows-1252; malformed
     * input is replaced, never thrown.
     */
    static String decode(byte[] bytes, int length, String declaredLabel) {
        Optional<Charset> declared = charsetFor(declaredLabel);
        boolean asciiLabel = declared.isEmpty() || declaredLabel.strip().toLowerCase(Locale.ROOT).matches("\"?(us-)?ascii\"?");
        if (asciiLabel) {
            if (isAscii(bytes, length)) return new String(bytes, 0, length, StandardCharsets.US_ASCII);
            Optional<String> utf8 = strictUtf8(bytes, length);
            if (utf8.isPresent()) return utf8.get();
            return new String(bytes, 0, length, detected(bytes, length).orElse(WINDOWS_1252));
        }
        return new String(bytes, 0, length, declared.get());
    }

    /**
     * Charsets the detector's verdict is taken for: in these, text is runs of 8-bit bytes that read as windows-1252
     * give letters no word is made of, so a classifier would learn nothing from it; undeclared, they are common in
     * Chinese, Japanese, Korean and Russian mail (a Content-Type whose charset parameter was not folded, say). For the
     * Western charsets the detector guesses among (Hebrew, Greek, windows-1252 itself) windows-1252 stays, as browsers
     * read unlabelled Western text. Big5 is the detector's weakest: short traditional Chinese may come out as GB18030,
     * wrong characters but the same ones for the same bytes, which is what the classifier needs.
     */
    private static final Map<String, String> DETECTABLE = Map.of(
            Constants.CHARSET_GB18030, "GB18030", Constants.CHARSET_BIG5, "Big5", Constants.CHARSET_EUC_JP, "EUC-JP",
            Constants.CHARSET_SHIFT_JIS, "Shift_JIS", Constants.CHARSET_EUC_KR, "x-windows-949",
            Constants.CHARSET_KOI8_R, "KOI8-R", Constants.CHARSET_WINDOWS_1251, "windows-1251",
            Constants.CHARSET_IBM866, "IBM866");

    /** Fewer 8-bit bytes than this say too little for a statistical guess (a name, one accented word). */
    static final int MIN_DETECTABLE_BYTES = 8;

    /** The East Asian or Cyrillic charset Mozilla's detector finds for undeclared 8-bit text, if it finds one. */
    static Optional<Charset> detected(byte[] bytes, int length) {
        int high = 0;
        for (int i = 0; i < length && high < MIN_DETECTABLE_BYTES; i++) if (bytes[i] < 0) high++;
        if (high < MIN_DETECTABLE_BYTES) return Optional.empty();
        UniversalDetector detector = new UniversalDetector();
        detector.handleData(bytes, 0, Math.min(length, DETECTION_BYTES));
        detector.dataEnd();
        String name = DETECTABLE.get(String.valueOf(detector.getDetectedCharset()));
        return name == null ? Optional.empty() : Optional.of(Charset.forName(name));
    }

    /** The detector decides on the first 64 KB: enough for any charset, and its cost stays bounded. */
    private static final int DETECTION_BYTES = 64 * 1024;

    private static boolean isAscii(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) return false;
        }
        return true;
    }

    /** Valid UTF-8, allowing a sequence cut off at the end (text parts are read up to a byte cap). */
    private static Optional<String> strictUtf8(byte[] bytes, int length) {
        for (int cut = 0; cut <= 3 && cut < length; cut++) {
            if (cut > 0 && bytes[length - cut] >= 0) break;
            Optional<String> text = strictUtf8Exactly(bytes, length - cut);
            if (text.isPresent()) return text;
        }
        return Optional.empty();
    }

    private static Optional<String> strictUtf8Exactly(byte[] bytes, int length) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            return Optional.of(chars.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
