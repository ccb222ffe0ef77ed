package org.postern.auth.dkim;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;

/**
 * The octets a DKIM signature covers on the header side (RFC 6376 §3.7): each field named by {@code h=},
 * canonicalized and in {@code h=} order, then the DKIM-Signature field itself with the value of {@code b=}
 * deleted and without its final CRLF. Shared by signer and verifier.
 */
final class HeaderHashInput {

    private HeaderHashInput() {
    }

    static byte[] of(List<Optional<HeaderField>> signed, byte[] signatureField, Canonicalization canonicalization) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        for (Optional<HeaderField> f : signed) {
            f.ifPresent(field -> out.writeBytes(canonicalization.header(field.rawUnsafe())));
        }
        byte[] sig = canonicalization.header(withoutSignatureValue(signatureField));
        out.write(sig, 0, sig.length - 2); // §3.7: the signature field is hashed without its trailing CRLF
        return out.toByteArray();
    }

    /**
     * The field with the value of its {@code b=} tag deleted, "including all surrounding whitespace" (§3.5,
     * §3.7): the folding whitespace between {@code =} and the value and inside it goes; white space after the
     * value, before {@code ;}, stays, as dkimpy and OpenDKIM leave it. Tag names are case-sensitive, so {@code B=}
     * is not {@code b=}, and {@code bh=} is a different tag.
     */
    static byte[] withoutSignatureValue(byte[] field) {
        int colon = HeaderField.indexOfColon(field);
        int i = colon + 1;
        while (i < field.length) {
            int specEnd = indexOf(field, (byte) ';', i);
            int nameStart = skipFws(field, i, specEnd);
            int nameEnd = nameStart;
            while (nameEnd < specEnd && field[nameEnd] != '=' && !isFws(field[nameEnd])) nameEnd++;
            int eq = skipFws(field, nameEnd, specEnd);
            if (nameEnd - nameStart == 1 && field[nameStart] == 'b' && eq < specEnd && field[eq] == '=') {
                int valueEnd = specEnd;
                while (valueEnd > eq + 1 && isFws(field[valueEnd - 1])) valueEnd--;
                ByteArrayOutputStream out = new ByteArrayOutputStream(field.length);
                out.write(field, 0, eq + 1);
                out.write(field, valueEnd, field.length - valueEnd);
                return out.toByteArray();
            }
            i = specEnd + 1;
        }
        return field;
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) return i;
        }
        return a.length;
    }

    private static int skipFws(byte[] a, int from, int end) {
        int i = from;
        while (i < end && isFws(a[i])) i++;
        return i;
    }

    private static boolean isFws(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}
