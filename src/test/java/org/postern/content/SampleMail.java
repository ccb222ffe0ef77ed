package org.postern.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Small made-up messages for classifier and CLI tests: obviously spammy and obviously not. */
final class SampleMail {

    private static final String[] SPAM_WORDS = {"cheap", "pills", "winner", "free", "money", "casino", "offer",
            "click", "unsubscribe", "limited", "viagra", "lottery"};
    private static final String[] HAM_WORDS = {"meeting", "agenda", "project", "review", "draft", "minutes",
            "schedule", "budget", "team", "thanks", "attached", "notes"};

    private SampleMail() {
    }

    static String spam(int i) {
        return "From: \"Lucky Winner " + i + "\" <promo" + (1000 + i) + "@deals" + i + ".example>\n"
                + "Subject: FREE MONEY!!! " + SPAM_WORDS[i % SPAM_WORDS.length] + " offer " + i + "\n"
                + "Content-Type: text/html\n\n"
                + "<html><body><p>" + words(SPAM_WORDS, i) + "</p><a href=\"http://win" + i + ".example/claim\">"
                + "Claim now</a></body></html>\n";
    }

    static String ham(int i) {
        return "From: Alice Example <alice@example.org>\n"
                + "Subject: Re: project " + HAM_WORDS[i % HAM_WORDS.length] + " " + i + "\n"
                + "Date: Mon, 3 Feb 2025 10:0" + (i % 10) + ":00 +0100\n"
                + "Message-ID: <" + i + ".ham@example.org>\n"
                + "Content-Type: text/plain; charset=utf-8\n\n"
                + words(HAM_WORDS, i) + "\n\nAlice\n";
    }

    private static String words(String[] vocabulary, int seed) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 40; k++) b.append(vocabulary[(seed * 7 + k * 5) % vocabulary.length]).append(' ');
        return b.toString().strip();
    }

    static MessageView view(String message) {
        try {
            return MessageView.parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), ViewLimits.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A classifier trained on {@code n} of each kind. */
    static SpamClassifier trained(int n) {
        return trained(n, n);
    }

    /** A classifier trained on {@code spam} spam and {@code ham} ham messages. */
    static SpamClassifier trained(int spam, int ham) {
        Trainer trainer = new Trainer(TrainingSettings.defaults());
        for (int i = 0; i < Math.max(spam, ham); i++) {
            if (i < spam) trainer.add(view(spam(i)), true);
            if (i < ham) trainer.add(view(ham(i)), false);
        }
        return trainer.train();
    }
}
