package org.postern.auth.arc;

/** Why a chain failed, in the order of RFC 8617 §5.2. */
public enum ArcProblem {
    /** More than 50 ARC sets (step 1). */
    TOO_MANY_SETS,
    /** A seal carries {@code cv=fail} (step 2, and step 3 for older seals). */
    CHAIN_MARKED_FAILED,
    /** Missing, repeated or unparsable ARC header fields, gaps in the instances, or a wrong {@code cv} (step 3). */
    BROKEN_STRUCTURE,
    /** The newest ARC-Message-Signature does not verify (step 4). */
    MESSAGE_SIGNATURE_INVALID,
    /** An ARC-Seal does not verify (step 6). */
    SEAL_INVALID,
    /** A key could not be fetched because DNS failed: the chain may pass on a later attempt. */
    KEY_TEMPORARILY_UNAVAILABLE
}
