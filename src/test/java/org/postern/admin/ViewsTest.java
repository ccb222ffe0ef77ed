package org.postern.admin;

import org.junit.jupiter.api.Test;
import org.postern.quarantine.QuarantinedMessage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The templates escape what a sender or tenant controls wherever it lands: element text, attribute values, the page
 * title and the preview. Held mail is the hostile case: its subject, addresses and body are the attacker's.
 */
class ViewsTest {

    private static final String HOSTILE = "\"><script>alert('x')</script><img src=x onerror=alert(1)>&";

    @Test
    void aHeldMessageFromAnAttackerRendersAsText() {
        var m = new QuarantinedMessage("ref\"1", "t<1>", Instant.EPOCH, HOSTILE, List.of(HOSTILE), HOSTILE, 1, HOSTILE, "maildir:/x",
                Optional.empty(), Optional.empty());
        var nav = new Views.Nav(false, true, "t\"<1>", HOSTILE, "c\"srf");
        String html = Views.render("held.jte", new Views.Held(nav, m, HOSTILE));

        assertThat(html).doesNotContain("<script", "<img")
                .contains("<title>\"&gt;&lt;script&gt;alert('x')&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp; · Postern</title>")
                .contains("<pre class=\"preview\">\"&gt;&lt;script&gt;")
                .contains("name=\"csrf\" value=\"c&#34;srf\"")
                .contains("action=\"/t/t%3C1%3E/quarantine/ref%221/release\"");
    }

    @Test
    void aNoticeInTheQueryStringCannotAddMarkup() {
        String html = Views.render("quarantine.jte", new Views.Quarantine(new Views.Nav(false, false, "t", "u", "c"), "t", HOSTILE, List.of()));

        assertThat(html).doesNotContain("<script", "<img").contains("<p class=\"notice\" role=\"status\">\"&gt;&lt;script&gt;");
    }
}
