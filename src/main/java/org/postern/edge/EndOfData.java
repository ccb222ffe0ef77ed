package org.postern.edge;

import org.postern.auth.SenderAuthenticator;
import org.postern.auth.spf.SpfResult;
import org.postern.content.Attachment;
import org.postern.content.MessageView;
import org.postern.content.SclResult;
import org.postern.content.TextPart;
import org.postern.malware.AntiMalwarePolicy;
import org.postern.malware.MalwareVerdict;
import org.postern.malware.ScannedPart;
import org.postern.policy.Evidence;
import org.postern.tenant.Tenant;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What the end of DATA learns from the message itself, over the spooled copy: sender authentication, then one
 * MIME parse that the content stages share — the malware scan and the classifier run side by side on it.
 */
final class EndOfData {

    private EndOfData() { }

    /** The message's facts added to the session's evidence. */
    static Evidence gather(EdgeContext ctx, Evidence e, Tenant tenant, SenderAuthenticator.Envelope envelope, SpfResult spf,
                           Path message, List<String> fromFields, boolean hasArcFields) throws IOException {
        Evidence authenticated = e.withAuthentication(ctx.authenticator().authenticate(envelope, spf, message, fromFields, hasArcFields));
        try (MessageView view = MessageView.parse(message, ctx.viewLimits())) {
            AntiMalwarePolicy policy = AntiMalwarePolicy.from(tenant.document().antiMalware());
            CompletableFuture<MalwareVerdict> malware = CompletableFuture.supplyAsync(
                    () -> ctx.malware().scan(message, parts(view), policy), Threads.VIRTUAL);
            SclResult scl = ctx.content().score(view, authenticated, tenant);
            try {
                return authenticated.withContent(scl).withMalware(malware.join());
            } catch (CompletionException failed) {
                // The scanner reports its own failures as verdicts; anything else still must not let mail through.
                return authenticated.withContent(scl).withMalware(new MalwareVerdict.ScanUnavailable(String.valueOf(failed.getCause())));
            }
        }
    }

    /** Every attachment and inline part, and the decoded text bodies (EICAR and friends hide there too). */
    static List<ScannedPart> parts(MessageView view) {
        List<ScannedPart> parts = new ArrayList<>();
        for (Attachment a : view.attachments()) {
            parts.add(new ScannedPart(a.filename().orElse(""), a.declaredType(), a.size(), a::open));
        }
        for (TextPart t : view.textParts()) {
            byte[] text = t.text().getBytes(StandardCharsets.UTF_8);
            parts.add(new ScannedPart("", t.mimeType(), text.length, () -> new ByteArrayInputStream(text)));
        }
        return parts;
    }
}
