package org.postern.auth.spf;

import java.util.Optional;

/** The eight mechanisms of RFC 7208 §5, as parsed; targets stay unexpanded macro strings until evaluation. */
sealed interface Mechanism {

    /** Terms that query DNS count toward the limit of 10 per check (§4.6.4); ip4, ip6 and all do not. */
    default boolean queriesDns() {
        return false;
    }

    /** §5.1 {@code all}. */
    record All() implements Mechanism { }

    /** §5.2 {@code include:<domain-spec>}. */
    record Include(MacroString target) implements Mechanism {
        @Override public boolean queriesDns() { return true; }
    }

    /** §5.3 {@code a[:<domain-spec>][/<cidr4>][//<cidr6>]}. */
    record A(Optional<MacroString> target, int cidr4, int cidr6) implements Mechanism {
        @Override public boolean queriesDns() { return true; }
    }

    /** §5.4 {@code mx[:<domain-spec>][/<cidr4>][//<cidr6>]}. */
    record Mx(Optional<MacroString> target, int cidr4, int cidr6) implements Mechanism {
        @Override public boolean queriesDns() { return true; }
    }

    /** §5.5 {@code ptr[:<domain-spec>]} (its use is discouraged, but it must be evaluated). */
    record Ptr(Optional<MacroString> target) implements Mechanism {
        @Override public boolean queriesDns() { return true; }
    }

    /** §5.6 {@code ip4:<network>[/<cidr>]}; {@code network} is 4 bytes. */
    record Ip4(byte[] network, int prefix) implements Mechanism { }

    /** §5.6 {@code ip6:<network>[/<cidr>]}; {@code network} is 16 bytes. */
    record Ip6(byte[] network, int prefix) implements Mechanism { }

    /** §5.7 {@code exists:<domain-spec>}. */
    record Exists(MacroString target) implements Mechanism {
        @Override public boolean queriesDns() { return true; }
    }
}
