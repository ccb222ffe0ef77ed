package org.postern.auth.dkim;

import java.util.List;

/**
 * How {@link DkimSigner} folds the DKIM-Signature field: lines under {@value #LINE} columns (RFC 5322 §2.1.1
 * recommends 78), breaks only where RFC 6376 §3.2 allows folding whitespace, never white space at a line end.
 */
final class SignatureFieldLayout {

    static final int LINE = 76;
    private static final int TAB = 8;

    private SignatureFieldLayout() {
    }

    /** The field name and tags, joined by "; ", each on the current line if it fits; h= may break after ':'. */
    static String tags(List<String> tags) {
        StringBuilder out = new StringBuilder("DKIM-Signature:");
        int column = out.length();
        for (String tag : tags) {
            String text = tag + ";";
            boolean list = tag.startsWith("h=");
            int colon = text.indexOf(':');
            String firstPiece = list && colon > 0 ? text.substring(0, colon + 1) : text;
            if (column + 1 + firstPiece.length() > LINE) {
                out.append("\r\n\t");
                column = TAB;
            } else {
                out.append(' ');
                column++;
            }
            column = list ? appendFoldedAfter(out, text, ':', column) : append(out, text, column);
        }
        return out.toString();
    }

    /** The b= value broken into lines; the folding whitespace goes with the value when a verifier deletes it. */
    static String signatureValue(String b64) {
        StringBuilder out = new StringBuilder(b64.length() + 32);
        int width = LINE - TAB - 2; // the first line already holds "\tb="
        int start = 0;
        while (start < b64.length()) {
            int end = Math.min(b64.length(), start + width);
            if (start > 0) out.append("\r\n\t");
            out.append(b64, start, end);
            start = end;
            width = LINE - TAB;
        }
        return out.toString();
    }

    private static int append(StringBuilder out, String text, int column) {
        out.append(text);
        return column + text.length();
    }

    private static int appendFoldedAfter(StringBuilder out, String text, char separator, int column) {
        int col = column;
        int start = 0;
        while (start < text.length()) {
            int sep = text.indexOf(separator, start);
            int end = sep < 0 ? text.length() : sep + 1;
            String piece = text.substring(start, end);
            if (col + piece.length() > LINE && col > TAB) {
                out.append("\r\n\t");
                col = TAB;
            }
            out.append(piece);
            col += piece.length();
            start = end;
        }
        return col;
    }
}
