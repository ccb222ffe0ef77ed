package org.postern.content;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Date field as the header-anomaly checks read it: the usual form, the obsolete ones, and nonsense. */
class MessageDateTest {

    private static final Instant SEPT_7 = Instant.parse("2002-09-07T22:00:46Z");

    @Test
    void readsTheUsualFormAndEveryObsoleteOneToTheSameInstant() {
        for (String date : List.of(
                "Sat, 07 Sep 2002 15:00:46 -0700",
                "Sat, 7 Sep 2002 15:00:46 -0700",
                "  Sat, 07 Sep 2002 15:00:46 -0700  ",
                "Sat, 07 Sep 2002 15:00:46 -0700 (PDT)",   // a comment after the zone
                "Sat,  7 Sep 2002 15:00:46 -0700 (PDT)",   // Postfix's padded day
                "7 Sep 2002 15:00:46 -0700",               // no day of the week
                "Sat, 07 Sep 2002 15:00:46 PDT",           // obsolete zone name
                "Sat, 07 Sep 02 15:00:46 -0700",           // two-digit year (RFC 5322 4.3: 2002)
                "Fri, 07 Sep 2002 15:00:46 -0700")) {      // wrong day of the week: the date still stands
            assertThat(HeaderAnomalies.parseDate(date)).as(date).contains(SEPT_7);
        }
        assertThat(HeaderAnomalies.parseDate("Sat, 07 Sep 2002 22:00:46 GMT")).contains(SEPT_7);
        assertThat(HeaderAnomalies.parseDate("Sat, 07 Sep 2002 15:00 -0700")).contains(Instant.parse("2002-09-07T22:00:00Z"));
        assertThat(HeaderAnomalies.parseDate("Sat, 07 Sep 2002 15:00:46 +0530")).contains(Instant.parse("2002-09-07T09:30:46Z"));
        assertThat(HeaderAnomalies.parseDate("Thu, 29 Feb 2024 23:59:59 -0000 (UTC)")).contains(Instant.parse("2024-02-29T23:59:59Z"));
    }

    @Test
    void nonsenseIsNoDate() {
        for (String date : List.of("", "yesterday", "Sat, 07 Foo 2002 15:00:46 -0700", "07/09/2002")) {
            assertThat(HeaderAnomalies.parseDate(date)).as(date).isEmpty();
        }
    }

    @Test
    void aDateDaysAheadOfArrivalOrMonthsBehindIsAReason() throws IOException {
        Instant arrival = Instant.parse("2026-11-29T05:00:00Z");
        assertThat(dateReasons("Sun, 06 Dec 2026 05:00:00 +0000", arrival)).containsExactly(ContentReasonCode.DATE_IN_FUTURE);
        assertThat(dateReasons("Sat, 07 Sep 2002 15:00:46 PDT", arrival)).containsExactly(ContentReasonCode.DATE_LONG_AGO);
        assertThat(dateReasons("Sun, 29 Nov 2026 04:58:00 +0000", arrival)).isEmpty();
        assertThat(dateReasons("Sun, 29 Nov 2026 06:58:00 +0100 (CET)", arrival)).isEmpty();
    }

    private static List<ContentReasonCode> dateReasons(String date, Instant arrival) throws IOException {
        String message = "From: a@example.org\r\nTo: b@example.net\r\nSubject: hello\r\nMessage-ID: <1@example.org>\r\nDate: "
                + date + "\r\n\r\nhello\r\n";
        try (MessageView view = MessageView.parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)), ViewLimits.defaults())) {
            SclResult result = SclCalculator.standard().calculate(new ContentVerdict(0.5, List.of()), view,
                    SclInputs.builder().gateway("gw.test", 0).receivedAt(arrival).build());
            return result.reasons().stream().map(ContentReason::code)
                    .filter(c -> c == ContentReasonCode.DATE_IN_FUTURE || c == ContentReasonCode.DATE_LONG_AGO).toList();
        }
    }
}
