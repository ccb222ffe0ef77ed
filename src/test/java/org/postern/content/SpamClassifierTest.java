package org.postern.content;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SpamClassifierTest {

    @Test
    void anUntrainedClassifierKnowsOnlyTheSignsAMessageShowsByItself() {
        SpamClassifier c = SpamClassifier.untrained(TrainingSettings.defaults());
        assertThat(c.classify(SampleMail.view(SampleMail.ham(1))).spamProbability()).isEqualTo(0.5);
        ContentVerdict noDateNoId = c.classify(SampleMail.view(SampleMail.spam(1)));
        SclWeights w = SclWeights.bundled();
        double signs = w.of(ContentReasonCode.MISSING_DATE) + w.of(ContentReasonCode.MISSING_MESSAGE_ID);
        assertThat(noDateNoId.signs()).isEqualTo(signs);
        assertThat(noDateNoId.logOdds()).isCloseTo(signs, org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * Feedback learns on the total the SCL judges: reported as not junk, a message whose own signs (no Date, no
     * Message-ID, no From: 2.5) would hold it at SCL 4 with the classifier merely confident lands where a report
     * means it to, well below the junk line.
     */
    @Test
    void notJunkFeedbackCountsTheSignsTheMessageShows() {
        SpamClassifier c = SpamClassifier.untrained(TrainingSettings.defaults());
        // Received: it was sent so, not stored without its header block (those signs would not count then).
        MessageView bare = SampleMail.view("Received: from pc7.example.net by mx.example.org with SMTP\n"
                + "Subject: lunch on friday\n\nShall we meet at noon at the usual place?\n");
        SclCalculator scl = SclCalculator.standard();
        SclResult before = scl.calculate(c.classify(bare), bare, SclInputs.none());
        assertThat(before.reasonIds()).contains("header.missing-date", "header.missing-message-id", "header.missing-from");
        assertThat(before.scl()).isGreaterThanOrEqualTo(5);

        c.learn(bare, false);
        SclResult after = scl.calculate(c.classify(bare), bare, SclInputs.none());
        // A report steps until the message is ham with 0.9 confidence: on the SCL's total, signs included.
        assertThat(after.score()).as(after.reasons().toString()).isLessThanOrEqualTo(Math.log(0.1 / 0.9));
        assertThat(after.scl()).isLessThanOrEqualTo(2);
        assertThat(after.reasonIds()).contains("header.missing-date"); // still said, now offset by what the model learned
    }

    @Test
    void separatesWhatItWasTaughtAndSaysWhy() {
        // At the mix the SCL bands were chosen on (2.19 ham per spam): with one ham per spam, the spam's own signs
        // (no Date, no Message-ID) and the mix offset would already put it past the margin, and it would teach nothing.
        int hamTrained = (int) Math.round(30 * Trainer.REFERENCE_HAM_PER_SPAM);
        SpamClassifier c = SampleMail.trained(30, hamTrained);
        ContentVerdict spam = c.classify(SampleMail.view(SampleMail.spam(101)));
        ContentVerdict ham = c.classify(SampleMail.view(SampleMail.ham(101)));
        // Training stops pushing a message once it is within the margin (thick threshold, 0.2) of its label, on a total
        // that includes the offset for the training mix (next to none here): beyond 0.8, not 1.
        assertThat(spam.spamProbability()).isGreaterThan(pushedTo(1 - TrainingSettings.defaults().margin(), 30, hamTrained) - 0.05);
        assertThat(ham.spamProbability()).isLessThan(pushedTo(TrainingSettings.defaults().margin(), 30, hamTrained) + 0.05);
        assertThat(spam.reasons()).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(ContentReasonCode.CLASSIFIER);
            assertThat(r.detail()).matches("p=0\\.[789].*").contains("spam signs: ");
        });
        assertThat(ham.reasons().get(0).detail()).contains("ham signs: ");
    }

    /** Where training on {@code spam} and {@code ham} messages leaves a message it pushed to probability {@code p}. */
    static double pushedTo(double p, long spam, long ham) {
        return SpamModel.probability(Math.log(p / (1 - p)) - Trainer.mixOffset(spam, ham));
    }

    /** The same words from two bulk mailers whose header fields differ only in how they are spelled. */
    private static String mailing(int i, boolean spam) {
        String tracking = spam ? "X-Tracking: BLAST-" + (7000 + i) + "/q=ZZ-MASS" : "X-Tracking: list-digest; id=" + i;
        return "Received: from relay.example.net (relay.example.net [192.0.2.10]) by mx.example.org\n"
                + "From: News <news@example.com>\n"
                + "Date: Mon, 3 Feb 2025 10:00:00 +0000\nMessage-ID: <" + i + "@news.example.com>\n"
                + tracking + "\n"
                + "Subject: Weekly news\n\n"
                + "This week in the newsletter: items, events and offers number " + i + ".\n";
    }

    @Test
    void theHeaderViewTellsApartWhatTheWordsCannot() {
        Trainer trainer = new Trainer(TrainingSettings.defaults());
        // At the mix the SCL bands were chosen on (2.19 ham per spam), so no mix offset moves the probabilities.
        for (int i = 0; i < 40; i++) trainer.add(SampleMail.view(mailing(i, true)), true);
        for (int i = 0; i < Math.round(40 * Trainer.REFERENCE_HAM_PER_SPAM); i++) trainer.add(SampleMail.view(mailing(i, false)), false);
        SpamClassifier c = trainer.train();
        ContentVerdict spam = c.classify(SampleMail.view(mailing(500, true)));
        ContentVerdict ham = c.classify(SampleMail.view(mailing(500, false)));
        // The header view alone tells them apart; the words view knows only that most mail is ham, and the header
        // view counts at half weight, so the total shows a clear gap rather than certainty.
        assertThat(headerScore(c, mailing(500, true))).isPositive();
        assertThat(headerScore(c, mailing(500, false))).isNegative();
        assertThat(spam.logOdds() - ham.logOdds()).as("spam %s, ham %s", spam.spamProbability(), ham.spamProbability())
                .isGreaterThan(1.0);
        assertThat(ham.reasons().get(0).detail()).contains("ham signs: header 4-gram '");
        // The verdict says which view the log-odds came from, and the parts it names add up to them.
        for (ContentVerdict v : List.of(spam, ham)) {
            double[] parts = parts(v);
            assertThat(parts[0] + parts[1] + parts[2] + parts[3]).as(v.reasons().toString()).isCloseTo(v.logOdds(), within(0.02));
        }
        assertThat(parts(spam)[1]).as(spam.reasons().toString()).isPositive();
        assertThat(parts(ham)[1]).as(ham.reasons().toString()).isNegative();
    }

    private static final java.util.regex.Pattern PARTS = java.util.regex.Pattern.compile(
            "log-odds -?\\d+\\.\\d+ \\(words ([-+]\\d+\\.\\d+), header ([-+]\\d+\\.\\d+), base ([-+]\\d+\\.\\d+)"
                    + "(?:, message signs ([-+]\\d+\\.\\d+))?\\)");

    /** The words, header, base and message-signs parts a verdict names (signs 0 when it names none). */
    private static double[] parts(ContentVerdict v) {
        java.util.regex.Matcher m = PARTS.matcher(v.reasons().get(0).detail());
        if (!m.find()) throw new AssertionError("no log-odds parts in " + v.reasons());
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                m.group(4) == null ? 0 : Double.parseDouble(m.group(4))};
    }

    private static double headerScore(SpamClassifier c, String message) {
        return c.model().header.score(SpamModel.Slots.of(SampleMail.view(message), c.hashBits()).header());
    }

    @Test
    void theHeaderViewReadsOnlyTheHopsNearestTheSender() {
        String hops = "Received: from inner.example.org by mailbox.example.org\n"
                + "Received: from a.example by b.example\n"
                + "Received: from c.example by d.example\n"
                + "Received: from e.example by f.example\n"
                + "To: someone@example.org\nSubject: hello\n\nbody\n";
        MessageView view = SampleMail.view(hops);
        Features f = FeatureExtractor.headerGrams(view, Features.recording());
        java.util.Set<String> grams = namesOf(f);
        assertThat(grams).contains("header 4-gram 'e.ex'", "header 4-gram 'a.ex'", "header 4-gram 'hell'")
                .doesNotContain("header 4-gram 'inne'", "header 4-gram 'mail'", "header 4-gram 'some'");
    }

    /**
     * A stored copy of the Subject and the text (no From, no Received) gives the header view the opening of the text,
     * its first 500 characters; a message with its header block, as every message at the gateway has, does not.
     */
    @Test
    void aStoredCopyWithoutItsHeaderBlockGivesTheHeaderViewTheOpeningOfItsText() {
        String text = "Cheap   watches\nhere " + "x".repeat(600) + " farend";
        java.util.Set<String> stored = namesOf(FeatureExtractor.headerGrams(SampleMail.view("Subject: hello\n\n" + text + "\n"),
                Features.recording()));
        assertThat(stored).contains("header 4-gram 'hell'", "text 4-gram 'Chea'", "text 4-gram 'es h'")
                .doesNotContain("text 4-gram 'aren'");
        java.util.Set<String> withFrom = namesOf(FeatureExtractor.headerGrams(
                SampleMail.view("From: a@example.org\nSubject: hello\n\n" + text + "\n"), Features.recording()));
        java.util.Set<String> received = namesOf(FeatureExtractor.headerGrams(
                SampleMail.view("Received: from a.example by b.example\nSubject: hello\n\n" + text + "\n"), Features.recording()));
        assertThat(withFrom).contains("header 4-gram 'hell'").noneMatch(name -> name.startsWith("text 4-gram"));
        assertThat(received).noneMatch(name -> name.startsWith("text 4-gram"));
    }

    /**
     * Mail as a mailbox stores it today: the receiver's authentication verdicts and ARC seals on top (kilobytes of
     * base64), a DKIM signature. The header view reads past them to the sender's own fields, keeps how the sender
     * signs and leaves out the signature's base64.
     */
    @Test
    void theHeaderViewLeavesOutTheReceivingSideAndSignatureValues() {
        String sealValue = "i=1; a=rsa-sha256; d=receiver.example; s=arc; b=" + "ZQXJ".repeat(1500);
        String message = "ARC-Seal: " + sealValue + "\n"
                + "ARC-Message-Signature: " + sealValue + "\n"
                + "ARC-Authentication-Results: i=1; mx.receiver.example; spf=pass\n"
                + "Authentication-Results: mx.receiver.example; dkim=pass header.d=sender.example\n"
                + "Received-SPF: pass (mx.receiver.example: domain of sender.example)\n"
                + "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=sender.example; s=sel1;\n"
                + "\th=from:to:subject; bh=QWERTYUIOPasdfghjkl0123456789=;\n\tb=MNBVCXZLKJHGFDSApoiuytrewq98765\n"
                + "From: News <news@sender.example>\nSubject: hello\n\nbody\n";
        Features f = FeatureExtractor.headerGrams(SampleMail.view(message), Features.recording());
        java.util.Set<String> grams = namesOf(f);
        assertThat(grams).contains("header 4-gram 'hell'", "header 4-gram 's=se'", "header 4-gram 'd=se'", "header 4-gram 'bh=;'")
                .doesNotContain("header 4-gram 'ZQXJ'", "header 4-gram 'rece'", "header 4-gram 'QWER'", "header 4-gram 'MNBV'");
    }

    @Test
    void receivedHopsAndDatesAreReadWithoutWhenOrForWhom() {
        String july = received("Mon, 22 Jul 2002 09:03:37 -0700 (PDT)", "trap17@collector.example");
        String january = received("Thu, 9 Jan 2003 21:14:02 -0800 (PST)", "alice@tenant.example");
        String other = july.replace("helo.sender.example", "dsl-77.isp.example");
        int[] wordsJuly = FeatureExtractor.extract(SampleMail.view(july)).indexes(20);
        int[] gramsJuly = FeatureExtractor.headerGrams(SampleMail.view(july), Features.plain()).indexes(20);
        // When and to whom a hop carried the message teach a model its corpus (and, at the gateway, the season); so do
        // the fields a delivery agent adds (Exim's Delivery-date and Envelope-to) and the dates other fields repeat.
        assertThat(FeatureExtractor.extract(SampleMail.view(january)).indexes(20)).isEqualTo(wordsJuly);
        assertThat(FeatureExtractor.headerGrams(SampleMail.view(january), Features.plain()).indexes(20)).isEqualTo(gramsJuly);
        // Who sent it still does.
        assertThat(FeatureExtractor.extract(SampleMail.view(other)).indexes(20)).isNotEqualTo(wordsJuly);
        assertThat(FeatureExtractor.headerGrams(SampleMail.view(other), Features.plain()).indexes(20)).isNotEqualTo(gramsJuly);
        Features recorded = FeatureExtractor.extract(SampleMail.view(july), Features.recording());
        java.util.Set<String> names = namesOf(recorded);
        assertThat(names).contains("received-word=helo.sender.example", "received-word=esmtp",
                        "header-name=x-originalarrivaltime", "header-name=x-original-date")
                .doesNotContain("received-word=jul", "received-word=pdt", "received-word=trap17", "received-word=collector.example",
                        "header-name=delivery-date", "header-name=envelope-to");
    }

    @Test
    void theHeaderViewLeavesTheListServersFieldsToTheWordView() {
        String sent = "From: Jazzy <jazzy@newmail334.example>\nSubject: new page\n"
                + "List-Unsubscribe: <mailto:leave-4711@bulk.example>\n";
        String listFields = "Sender: fork-admin@xent.example\nErrors-To: fork-admin@xent.example\nX-BeenThere: fork@xent.example\n"
                + "X-Mailman-Version: 2.0.11\nList-Help: <mailto:fork-request@xent.example?subject=help>\n"
                + "List-Post: <mailto:fork@xent.example>\nList-Id: Friends of Rohit <fork.xent.example>\n"
                + "List-Archive: <http://xent.example/pipermail/fork/>\n";
        String posted = sent + listFields + "\nCome see the most beautiful pictures\n";
        String withoutList = sent + "Sender: fork-admin@xent.example\n\nCome see the most beautiful pictures\n";
        // The list's hundreds of 4-grams outvoted what the sender wrote; its fields count in the word view instead.
        assertThat(FeatureExtractor.headerGrams(SampleMail.view(posted), Features.plain()).indexes(20))
                .isEqualTo(FeatureExtractor.headerGrams(SampleMail.view(withoutList), Features.plain()).indexes(20));
        Features grams = FeatureExtractor.headerGrams(SampleMail.view(posted), Features.recording());
        java.util.Set<String> gramNames = namesOf(grams);
        assertThat(gramNames).contains("header 4-gram 'leav'", "header 4-gram 'jazz'").doesNotContain("header 4-gram 'ohit'", "header 4-gram 'iper'");
        Features words = FeatureExtractor.extract(SampleMail.view(posted), Features.recording());
        java.util.Set<String> wordNames = namesOf(words);
        assertThat(wordNames).contains("header-name=x-beenthere", "header-name=list-id", "list-id=true");
    }

    /** The names of a recorded message's features, as the classifier's reasons print them. */
    private static java.util.Set<String> namesOf(Features recorded) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int slot : recorded.indexes(20)) recorded.nameOf(slot, 20).ifPresent(names::add);
        return names;
    }

    private static String received(String date, String recipient) {
        return "Received: from helo.sender.example (out.sender.example [192.0.2.7])\n"
                + "\tby mx.collector.example (Postfix) with ESMTP id 4F2A1B\n\tfor <" + recipient + ">; " + date + "\n"
                + "Delivery-date: " + date + "\nEnvelope-to: " + recipient + "\n"
                + "X-OriginalArrivalTime: " + date + "\nX-Original-Date: " + date + "\n"
                + "From: News <news@sender.example>\nSubject: hello\nDate: Mon, 22 Jul 2002 09:00:00 -0700\n\nbody text\n";
    }

    @Test
    void feedbackChangesTheVerdictAtOnce() {
        SpamClassifier c = SampleMail.trained(30);
        MessageView disguised = SampleMail.view(SampleMail.ham(7).replace("Alice", "Mallory"));
        assertThat(c.classify(disguised).spamProbability()).isLessThan(0.5);
        c.learn(disguised, true);
        assertThat(c.classify(disguised).spamProbability()).isGreaterThanOrEqualTo(0.9);
        c.learn(disguised, false);
        assertThat(c.classify(disguised).spamProbability()).isLessThanOrEqualTo(0.1);
        assertThat(c.spamLearned()).isEqualTo(31);
        assertThat(c.hamLearned()).isEqualTo(31);
    }

    @Test
    void classifiesWhileOthersReportFeedback() throws Exception {
        SpamClassifier c = SampleMail.trained(20);
        List<MessageView> views = new ArrayList<>();
        for (int i = 0; i < 20; i++) views.add(SampleMail.view(i % 2 == 0 ? SampleMail.spam(i) : SampleMail.ham(i)));
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int k = 0; k < 200; k++) {
                        MessageView v = views.get((k + id) % views.size());
                        if (id == 0) c.learn(v, (k + id) % 2 == 0);
                        double p = c.classify(v).spamProbability();
                        if (!(p >= 0 && p <= 1)) failed.compareAndSet(null, new AssertionError("p=" + p));
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join();
        assertThat(failed.get()).as("first failure of a classifying thread").isNull();
        assertThat(c.spamLearned() + c.hamLearned()).isEqualTo(40 + 200);
    }

    @Test
    void trainingIsReproducible() {
        MessageView probe = SampleMail.view(SampleMail.spam(55));
        assertThat(SampleMail.trained(10).spamProbability(probe)).isEqualTo(SampleMail.trained(10).spamProbability(probe));
    }
}
