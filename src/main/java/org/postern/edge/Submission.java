package org.postern.edge;

import org.postern.account.Account;
import org.postern.account.AccountStore;
import org.postern.account.Role;
import org.postern.account.SendingRestrictions;
import org.postern.policy.Decision;
import org.postern.policy.OutboundCounters;
import org.postern.policy.PolicyPipeline;
import org.postern.policy.Reason;
import org.postern.policy.ReasonCode;
import org.postern.queue.Envelope;
import org.postern.queue.Spool;
import org.postern.tenant.Tenant;
import org.postern.tenant.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * What the node's sessions share for a tenant's own outgoing mail: SMTP AUTH against the accounts (with lockout),
 * the outbound questions, and what happens when a user reaches an outbound limit — restricted in the store, and the
 * tenant's admins told by a mail queued to them.
 */
final class Submission {

    private static final Logger log = LoggerFactory.getLogger(Submission.class);

    /** The outcome of one AUTH: the account and its tenant, or a refusal to trace and answer. */
    sealed interface Login {
        record Accepted(Account account, Tenant tenant) implements Login { }
        record Refused(Decision decision) implements Login { }
    }

    private final AccountStore accounts;
    private final SendingRestrictions restrictions;
    private final AuthLockout lockout;
    private final PolicyPipeline pipeline;
    private final OutboundCounters counters;
    private final TenantDirectory tenants;
    private final Spool spool;
    private final References references;
    private final String hostname;
    private final Clock clock;

    Submission(AccountStore accounts, SendingRestrictions restrictions, AuthLockout lockout, PolicyPipeline pipeline,
               OutboundCounters counters, TenantDirectory tenants, Spool spool, References references, String hostname, Clock clock) {
        this.accounts = accounts;
        this.restrictions = restrictions;
        this.lockout = lockout;
        this.pipeline = pipeline;
        this.counters = counters;
        this.tenants = tenants;
        this.spool = spool;
        this.references = references;
        this.hostname = hostname;
        this.clock = clock;
    }

    /** The outbound questions (MAIL, RCPT, DATA). */
    PolicyPipeline pipeline() {
        return pipeline;
    }

    Login authenticate(InetAddress ip, String user, String password) {
        Optional<String> locked = lockout.locked(ip, user);
        if (locked.isPresent()) {
            return new Login.Refused(Decision.TempFail.because(new Reason(ReasonCode.SUBMISSION_LOCKED_OUT, locked.get(), "submission.lockout")));
        }
        Optional<Account> account = accounts.verify(user, password);
        Optional<Tenant> tenant = account.flatMap(a -> tenants.byId(a.tenant()));
        if (account.isEmpty() || tenant.isEmpty()) {
            lockout.failed(ip, user);
            return new Login.Refused(Decision.Reject.because(new Reason(ReasonCode.SUBMISSION_AUTH_FAILED,
                    "AUTH as " + printable(user) + " failed: " + (account.isEmpty() ? "unknown user or wrong password" : "tenant " + account.get().tenant() + " is gone"),
                    "")));
        }
        return new Login.Accepted(account.get(), tenant.get());
    }

    /**
     * A recipient was refused over an outbound limit: with {@code restrict}, the user is restricted (once) and the
     * admins told; with {@code alert}, the admins are told once per hour and user.
     */
    void limitReached(Tenant tenant, Optional<String> user, Reason reason) {
        String who = user.orElse("tenant " + tenant.id());
        try {
            if (reason.code() == ReasonCode.OUTBOUND_LIMIT_REACHED && user.isPresent()) {
                if (!restrictions.restrict(tenant.id(), user.get(), reason.evidence(), clock.instant())) return;
                notifyAdmins(tenant, "Outbound limit reached: " + who + " is restricted from sending",
                        who + " reached an outbound recipient limit (" + reason.evidence() + ", setting " + reason.setting() + ")\r\n"
                                + "and is restricted from sending until an administrator lifts the restriction:\r\n\r\n"
                                + "  ./postern user unrestrict --config FILE --tenant " + tenant.id() + " --email " + user.get() + "\r\n"
                                + "  POST /api/v1/tenants/" + tenant.id() + "/users/" + user.get() + "/unrestrict\r\n");
            } else if (counters.tryTake("alerted:" + tenant.id() + ":" + who, 1, Duration.ofHours(1))) {
                notifyAdmins(tenant, "Outbound limit reached by " + who,
                        who + " reached an outbound recipient limit (" + reason.evidence() + ", setting " + reason.setting() + ").\r\n"
                                + "Further recipients are refused until the window has passed.\r\n");
            }
        } catch (RuntimeException e) {
            log.error("could not restrict {} or tell the admins of {}: {}", who, tenant.id(), e.toString());
        }
    }

    /** A plain-text mail from the postmaster to every tenant-admin account, through the tenant's own delivery. */
    private void notifyAdmins(Tenant tenant, String subject, String body) {
        List<String> admins = accounts.list(tenant.id()).stream().filter(a -> a.role() == Role.TENANT_ADMIN).map(Account::email).toList();
        if (admins.isEmpty()) {
            log.warn("tenant {} has no tenant-admin account to tell: {}", tenant.id(), subject);
            return;
        }
        String ref = references.next();
        String message = "From: Postern <postmaster@" + hostname + ">\r\n"
                + "To: " + String.join(", ", admins) + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(ZoneOffset.UTC)) + "\r\n"
                + "Message-ID: <" + ref + "@" + hostname + ">\r\n"
                + "Auto-Submitted: auto-generated\r\n" // RFC 3834: no automatic replies to this
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + body;
        try {
            Spool.Pending pending = spool.begin();
            try (OutputStream out = pending.content()) {
                out.write(message.getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                pending.discard();
                throw e;
            }
            // The null sender: a notification must never bounce back into a loop.
            spool.commit(pending, new Envelope(ref, tenant.id(), "", admins, tenant.delivery(), clock.instant(), "", false));
            log.info("told the admins of {} ({}): {} [ref={}]", tenant.id(), admins, subject, ref);
        } catch (IOException e) {
            log.error("could not queue the notice to the admins of {}: {}", tenant.id(), e.toString());
        }
    }

    /** A user name as typed by the client, safe for the trace. */
    static String printable(String s) {
        String t = s.replaceAll("[^\\x21-\\x7e]", "?");
        return t.length() > 320 ? t.substring(0, 320) : t;
    }
}
