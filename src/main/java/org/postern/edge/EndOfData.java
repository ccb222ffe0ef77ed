package org.postern.edge;

import org.postern.auth.SenderAuthenticator;
import org.postern.auth.spf.SpfResult;
import org.postern.content.MessageView;
import org.postern.policy.Evidence;
import org.postern.tenant.Tenant;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the end of DATA learns from the message itself, over the spooled copy: sender authentication, then one
 * MIME parse that every content stage shares (the classifier now; malware and transport rules read the same view).
 */
final class EndOfData {

    private EndOfData() { }

    /** The message's facts added to the session's evidence. */
    static Evidence gather(EdgeContext ctx, Evidence e, Tenant tenant, SenderAuthenticator.Envelope envelope, SpfResult spf,
                           Path message, List<String> fromFields, boolean hasArcFields) throws IOException {
        e = e.withAuthentication(ctx.authenticator().authenticate(envelope, spf, message, fromFields, hasArcFields));
        try (MessageView view = MessageView.parse(message, ctx.viewLimits())) {
            e = e.withContent(ctx.content().score(view, e, tenant));
        }
        return e;
    }
}
