package org.postern.admin;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import org.postern.quarantine.QuarantinedMessage;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceRecord;

import java.util.List;

/**
 * The console's pages: the jte templates under src/main/jte, compiled into this package at build time, and one record
 * per page as each template's model. The Html content type escapes every value for where it stands (text or
 * attribute), so the handlers hand over raw strings. Templates sit in this package so their models can stay
 * package-private; the node loads their classes and never compiles a template.
 */
final class Views {

    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html, null, Views.class.getPackageName());

    private Views() { }

    static String render(String template, Object page) {
        StringOutput out = new StringOutput();
        ENGINE.render(template, page, out);
        return out.toString();
    }

    /** The header of a signed-in page; {@code tenant} is empty when the page belongs to none (the dashboard). */
    record Nav(boolean operator, boolean tenantAdmin, String tenant, String user, String csrf) { }

    record Login(String error) { }

    record ErrorPage(int status, String message) { }

    record Search(String ref, String sender, String recipient, String status, String since) { }

    /** {@code older} is the query string of the next page, or null on the last one. */
    record Trace(Nav nav, String tenant, Search search, List<TraceRecord> found, String older) { }

    /** One decision of the chain, its stage split into phase ("RCPT") and check. */
    record Step(String phase, String stage, String evidence, String setting, String outcome) { }

    record Message(Nav nav, TraceRecord r, String client, String from, String scl, String deliveredBy, List<Step> steps,
                   List<DeliveryEvent> deliveries) { }

    /** {@code done} is the notice after a release or delete, or null. */
    record Quarantine(Nav nav, String tenant, String done, List<QuarantinedMessage> held) { }

    /** The trace link shows when {@code nav.tenantAdmin()}: a user may not open the message's trace. */
    record Held(Nav nav, QuarantinedMessage m, String preview) { }

    record IpEntry(String cidr, String expires, String comment) { }

    /** {@code name} as in the form actions (ip-allow, ip-block). */
    record IpList(String name, String heading, List<IpEntry> entries) { }

    record AntiSpam(String mode, String junkAt, String quarantineAt, String rejectAt) { }

    /** The JSON sections are pretty-printed documents, or null when the tenant has none. */
    record Settings(Nav nav, String tenant, String done, String domains, String delivery, List<IpList> lists,
                    AntiSpam spam, String connectors, String rules, String malware) { }

    record Audit(Nav nav, List<AuditLog.Entry> entries) { }
}
