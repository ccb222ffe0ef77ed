package org.postern.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postern.auth.SenderAuthentication;
import org.postern.auth.SenderAuthenticator;
import org.postern.auth.dkim.DkimKeys;
import org.postern.auth.dkim.DkimSigner;
import org.postern.dns.DnsjavaResolver;
import org.postern.dns.InProcessDnsServer;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SPF + DKIM + DMARC for a typical message (one RSA-2048 signature, ~3 KB, SPF with an include) with a warm DNS
 * cache: what sender authentication adds to each message at the end of DATA. The baseline is the one RSA-2048
 * signature verification every such message needs anyway, so the ratio shows the overhead around the crypto.
 * Run with {@code bench/auth/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SenderAuthenticationBenchmark {

    private InProcessDnsServer dns;
    private SenderAuthenticator authenticator;
    private SenderAuthenticator.Envelope envelope;
    private Path message;
    private KeyPair rsa;
    private byte[] signedData;
    private byte[] signatureBytes;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        rsa = gen.generateKeyPair();
        dns = InProcessDnsServer.start()
                .addTxt("example.org", "v=spf1 include:_spf.example.org -all")
                .addTxt("_spf.example.org", "v=spf1 ip4:192.0.2.0/24 ip4:127.0.0.0/8 -all")
                .addTxt("_dmarc.example.org", "v=DMARC1; p=reject; rua=mailto:dmarc@example.org")
                .addTxt("s1._domainkey.example.org", DkimKeys.keyRecord(rsa.getPublic()));
        authenticator = new SenderAuthenticator(new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(2)), Clock.systemUTC());
        envelope = new SenderAuthenticator.Envelope(InetAddress.getByName("127.0.0.1"), "mail.example.org", "news@example.org");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 40; i++) body.append("Line ").append(i).append(" of a typical newsletter paragraph, plain text.\r\n");
        String unsigned = "From: News <news@example.org>\r\nTo: alice@contoso.test\r\nSubject: Weekly news\r\n"
                + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bench@example.org>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body;
        String signature = DkimSigner.builder("example.org", "s1", rsa.getPrivate()).build().sign(unsigned.getBytes(StandardCharsets.UTF_8));
        message = Files.createTempFile("postern-bench", ".eml");
        Files.writeString(message, signature + unsigned);
        SenderAuthentication warm = authenticate();
        if (!warm.dmarc().outcome().keyword().equals("pass")) throw new IllegalStateException("setup broken: " + warm.summary());
        signedData = unsigned.getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(rsa.getPrivate());
        s.update(signedData, 0, 600);
        signatureBytes = s.sign();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        dns.close();
        Files.deleteIfExists(message);
    }

    @Benchmark
    public SenderAuthentication spfDkimDmarc() throws Exception {
        return authenticate();
    }

    /** Baseline: one RSA-2048 SHA-256 verification of a header-sized input. */
    @Benchmark
    public boolean rsaVerifyBaseline() throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(rsa.getPublic());
        s.update(signedData, 0, 600);
        return s.verify(signatureBytes);
    }

    private SenderAuthentication authenticate() throws Exception {
        return authenticator.authenticate(envelope, authenticator.checkSpf(envelope), message,
                List.of("News <news@example.org>"), false);
    }
}
