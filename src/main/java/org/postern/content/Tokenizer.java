package org.postern.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into lower-case word tokens: runs of letters and digits (apostrophes and inner dots kept, so "don't"
 * and "v1.2" stay whole), currency and exclamation marks as tokens of their own, and each Han, Kana or Hangul
 * character as a token, since those scripts do not separate words with spaces (pairs of them then act as bigrams).
 */
final class Tokenizer {

    static final int MAX_TOKEN = 40;

    private Tokenizer() {
    }

    static List<String> words(CharSequence text, int maxTokens) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean nonAscii = false; // ASCII is lower-cased while appending; anything else by String.toLowerCase at the end
        int n = text.length();
        for (int i = 0; i < n && out.size() < maxTokens; ) {
            int cp = Character.codePointAt(text, i);
            int len = Character.charCount(cp);
            if (cp < 128 && (cp >= 'a' && cp <= 'z' || cp >= '0' && cp <= '9')) {
                word.append((char) cp);
            } else if (cp >= 'A' && cp <= 'Z') {
                word.append((char) (cp + ('a' - 'A')));
            } else if (isIdeographic(cp)) {
                flush(word, nonAscii, out);
                nonAscii = false;
                out.add(new String(Character.toChars(cp)));
            } else if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
                nonAscii = true;
            } else if ((cp == '\'' || cp == '.' || cp == '-') && word.length() > 0 && i + 1 < n
                    && Character.isLetterOrDigit(text.charAt(i + 1))) {
                word.appendCodePoint(cp);
            } else {
                flush(word, nonAscii, out);
                nonAscii = false;
                if (cp == '$' || cp == '€' || cp == '£' || cp == '!') out.add(new String(Character.toChars(cp)));
            }
            i += len;
        }
        flush(word, nonAscii, out);
        return out;
    }

    private static void flush(StringBuilder word, boolean nonAscii, List<String> out) {
        if (word.isEmpty()) return;
        String w = nonAscii ? word.toString().toLowerCase(Locale.ROOT) : word.toString();
        word.setLength(0);
        // Very long runs are base64, hashes or tracking ids: their shape says something, their text nothing.
        out.add(w.length() > MAX_TOKEN ? "<long>" : w);
    }

    private static boolean isIdeographic(int cp) {
        if (cp < 0x0e00) return false; // below Thai: Latin, Greek, Cyrillic, Arabic... (UnicodeScript.of is a search)
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL
                || s == Character.UnicodeScript.THAI;
    }
}
