package org.postern.policy;

/** Which submission users an admin must lift a restriction from before they may send again (kept in the store). */
public interface SubmitterRestrictions {

    boolean isRestricted(String user);

    SubmitterRestrictions NONE = user -> false;
}
