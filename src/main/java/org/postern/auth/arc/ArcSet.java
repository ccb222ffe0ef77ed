package org.postern.auth.arc;

/**
 * One structurally sound ARC set (RFC 8617 §4.1): its three header fields, the parsed tag lists of the seal and the
 * message signature, and the seal's chain validation value.
 */
record ArcSet(int instance, HeaderField authenticationResults, HeaderField messageSignature,
              TagList messageSignatureTags, HeaderField seal, TagList sealTags, String chainValidation) {

    String sealDomain() {
        return sealTags.get("d").orElse("");
    }

    String sealSelector() {
        return sealTags.get("s").orElse("");
    }

    /** The AAR's payload after {@code i=<n>;}: authserv-id and results (RFC 8617 §4.1.1). */
    String authenticationResultsPayload() {
        String value = authenticationResults.value();
        return value.substring(value.indexOf(';') + 1).replace("\r\n", "").strip();
    }
}
