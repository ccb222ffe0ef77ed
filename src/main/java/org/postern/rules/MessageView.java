package org.postern.rules;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.postern.rules.RuleSubject.Attachment;
import org.postern.tenant.Domains;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One evaluation's view of a {@link RuleSubject}: every derived form (normalized addresses, decoded and
 * lower-cased texts) is computed at most once and only when a condition asks; the effects of earlier enforced rules
 * (SCL set, headers added or removed) are visible to later rules, as in Exchange.
 *
 * <p>Matched texts are capped (see the constants) so that no message makes a condition cost more than its cap.
 */
final class MessageView {

    /** Characters of the subject and of each header value that conditions see (after decoding). */
    static final int MAX_HEADER_TEXT = 8_192;
    /** Characters of the body text that {@code body-contains} sees. */
    static final int MAX_BODY_TEXT = 262_144;
    /** Characters of an attachment name that {@code attachment-name-matches} sees. */
    static final int MAX_ATTACHMENT_NAME = 1_024;
    /** Values of one header field name that conditions see (the first ones). */
    static final int MAX_HEADER_VALUES = 100;
    /** Attachments that attachment conditions see (the first ones). */
    static final int MAX_ATTACHMENTS = 256;

    /** A text and its case-folded forms, computed on demand. */
    static final class Text {
        final String value;
        private String lower;
        private String folded;

        Text(String value) {
            this.value = value;
        }

        String lower() {
            if (lower == null) lower = value.toLowerCase(Locale.ROOT);
            return lower;
        }

        String folded() {
            if (folded == null) folded = RegexShape.fold(value);
            return folded;
        }
    }

    private final RuleSubject subject;
    private OptionalInt scl;
    private String senderAddress;
    private List<String> senderDomainSuffixes;
    private List<String> recipientAddresses;
    private List<List<String>> recipientDomainSuffixes;
    private byte[] ip;
    private List<Text> subjectTexts;
    private Text body;
    private List<Text> attachmentNames;
    private List<AttachmentType> attachmentTypes;
    private final Map<String, List<Text>> headers = new HashMap<>();
    private final Map<String, List<Text>> added = new HashMap<>();
    private final Set<String> removed = new HashSet<>();

    MessageView(RuleSubject subject) {
        this.subject = subject;
        this.scl = subject.scl();
    }

    RuleSubject subject() {
        return subject;
    }

    OptionalInt scl() {
        return scl;
    }

    void setScl(int value) {
        scl = OptionalInt.of(value);
    }

    String senderAddress() {
        if (senderAddress == null) senderAddress = normalizeAddress(subject.sender());
        return senderAddress;
    }

    /** The sender's domain and each parent domain ("a.b.test", "b.test", "test"); empty for the null sender. */
    List<String> senderDomainSuffixes() {
        if (senderDomainSuffixes == null) senderDomainSuffixes = suffixes(domainOf(subject.sender()));
        return senderDomainSuffixes;
    }

    List<String> recipientAddresses() {
        if (recipientAddresses == null) recipientAddresses = subject.recipients().stream().map(MessageView::normalizeAddress).toList();
        return recipientAddresses;
    }

    /** Per recipient, its domain and each parent domain. */
    List<List<String>> recipientDomainSuffixes() {
        if (recipientDomainSuffixes == null) {
            recipientDomainSuffixes = subject.recipients().stream().map(r -> suffixes(domainOf(r))).toList();
        }
        return recipientDomainSuffixes;
    }

    private static List<String> suffixes(String domain) {
        if (domain.isEmpty()) return List.of();
        List<String> out = new ArrayList<>(4);
        out.add(domain);
        for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) out.add(domain.substring(dot + 1));
        return out;
    }

    /** The client address's bytes, empty when unknown. */
    Optional<byte[]> ip() {
        if (ip == null) ip = subject.senderIp().map(a -> a.getAddress()).orElse(new byte[0]);
        return ip.length == 0 ? Optional.empty() : Optional.of(ip);
    }

    /** The decoded subject, as a one-element list (the form the pattern conditions take). */
    List<Text> subjectTexts() {
        if (subjectTexts == null) subjectTexts = List.of(new Text(decodeHeader(subject.subject())));
        return subjectTexts;
    }

    Text subjectText() {
        return subjectTexts().get(0);
    }

    /** Decoded values of a header field (lower-case name), as earlier rules left the header. */
    List<Text> header(String lowerName) {
        List<Text> own = removed.contains(lowerName) ? List.of()
                : headers.computeIfAbsent(lowerName, n -> subject.header(n).stream().limit(MAX_HEADER_VALUES)
                        .map(v -> new Text(decodeHeader(v))).toList());
        List<Text> extra = added.get(lowerName);
        if (extra == null) return own;
        List<Text> all = new ArrayList<>(own);
        all.addAll(extra);
        return all;
    }

    void addHeader(String name, String value) {
        added.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(new Text(value));
    }

    void removeHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        removed.add(lower);
        added.remove(lower);
    }

    Text body() {
        if (body == null) {
            String text = subject.body().get();
            body = new Text(text == null ? "" : cap(text, MAX_BODY_TEXT));
        }
        return body;
    }

    List<Attachment> attachments() {
        List<Attachment> all = subject.attachments();
        return all.size() <= MAX_ATTACHMENTS ? all : all.subList(0, MAX_ATTACHMENTS);
    }

    /**
     * @param extension the file name's extension, lower case ("" when none)
     * @param mediaType the declared media type without parameters, lower case
     */
    record AttachmentType(String extension, String mediaType) { }

    List<AttachmentType> attachmentTypes() {
        if (attachmentTypes == null) {
            attachmentTypes = attachments().stream().map(a -> {
                String name = cap(a.name(), MAX_ATTACHMENT_NAME);
                int dot = name.lastIndexOf('.');
                String extension = dot < 0 ? "" : name.substring(dot + 1).strip().toLowerCase(Locale.ROOT);
                String media = a.contentType();
                int semicolon = media.indexOf(';');
                media = (semicolon < 0 ? media : media.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
                return new AttachmentType(extension, media);
            }).toList();
        }
        return attachmentTypes;
    }

    List<Text> attachmentNames() {
        if (attachmentNames == null) attachmentNames = attachments().stream().map(a -> new Text(cap(a.name(), MAX_ATTACHMENT_NAME))).toList();
        return attachmentNames;
    }

    /** Unfolds (RFC 5322 §2.2.3), decodes encoded words (RFC 2047) and caps a raw header value. */
    static String decodeHeader(String raw) {
        String bounded = cap(raw, 4 * MAX_HEADER_TEXT); // encoded words are longer than their text
        StringBuilder unfolded = new StringBuilder(bounded.length());
        for (int i = 0; i < bounded.length(); i++) {
            char c = bounded.charAt(i);
            if (c != '\r' && c != '\n') unfolded.append(c);
        }
        String decoded = unfolded.indexOf("=?") < 0 ? unfolded.toString()
                : DecoderUtil.decodeEncodedWords(unfolded.toString(), DecodeMonitor.SILENT);
        return cap(decoded.strip(), MAX_HEADER_TEXT);
    }

    static String cap(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /** Lower-case local part, normalized domain; plain ASCII takes the fast path (no IDN conversion). */
    static String normalizeAddress(String address) {
        return isPlainAscii(address) ? address.toLowerCase(Locale.ROOT) : Domains.normalizeAddress(address);
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) return "";
        if (isPlainAscii(address)) {
            String d = address.substring(at + 1).toLowerCase(Locale.ROOT);
            return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
        }
        return Domains.ofAddress(address);
    }

    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128 || c <= ' ') return false;
        }
        return true;
    }
}
