package org.postern.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class InProcessDnsServerTest {

    private final InProcessDnsServer server = InProcessDnsServer.start();

    @AfterEach
    void close() {
        server.close();
    }

    private Message ask(String name, int type, boolean tcp) throws IOException {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.port()));
        resolver.setTimeout(Duration.ofMillis(500));
        resolver.setTCP(tcp);
        resolver.setEDNS(-1);
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, 1)));
    }

    @Test
    void answersTxtOverUdpAndTcpOnTheSamePort() throws IOException {
        server.addTxt("example.com", "v=spf1 ", "-all");
        for (boolean tcp : new boolean[] {false, true}) {
            Message m = ask("EXAMPLE.com", Type.TXT, tcp);
            assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
            List<Record> answer = m.getSection(Section.ANSWER);
            assertThat(answer).hasSize(1);
            assertThat(((TXTRecord) answer.get(0)).getStrings()).containsExactly("v=spf1 ", "-all");
        }
        assertThat(server.queryCount()).isEqualTo(2);
        assertThat(server.queries()).extracting(InProcessDnsServer.Query::tcp).containsExactly(false, true);
    }

    @Test
    void distinguishesNxdomainFromNodataIncludingEmptyNonTerminals() throws IOException {
        server.addA("a.b.example.com", "192.0.2.1");
        assertThat(ask("a.b.example.com", Type.TXT, false).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ask("a.b.example.com", Type.TXT, false).getSection(Section.ANSWER)).isEmpty();
        assertThat(ask("b.example.com", Type.A, false).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ask("c.example.com", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void chasesCnamesAndStopsOnLoops() throws IOException {
        server.addCname("www.example.com", "host.example.com").addA("host.example.com", "192.0.2.7");
        server.addCname("loop1.example.com", "loop2.example.com").addCname("loop2.example.com", "loop1.example.com");
        Message m = ask("www.example.com", Type.A, false);
        assertThat(m.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME, Type.A);
        Message loop = ask("loop1.example.com", Type.A, false);
        assertThat(loop.getSection(Section.ANSWER)).hasSize(2);
        server.addCname("dangling.example.com", "nowhere.example.com");
        assertThat(ask("dangling.example.com", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void truncatesLargeUdpAnswersAndTheResolverRetriesOverTcp() throws IOException {
        for (int i = 0; i < 20; i++) server.addTxt("big.example.com", "record number " + i + " ".repeat(40));
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.port()));
        resolver.setEDNS(-1);
        resolver.setIgnoreTruncation(true);
        Message truncated = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("big.example.com."), Type.TXT, 1)));
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.getSection(Section.ANSWER)).isEmpty();

        server.resetQueries();
        Message full = ask("big.example.com", Type.TXT, false);
        assertThat(full.getSection(Section.ANSWER)).hasSize(20);
        assertThat(server.queries()).extracting(InProcessDnsServer.Query::tcp).containsExactly(false, true);
    }

    @Test
    void timeoutNamesAreNeverAnsweredAndServfailNamesFail() throws IOException {
        server.timeout("slow.example.com").servfail("broken.example.com");
        assertThat(ask("broken.example.com", Type.TXT, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ask("slow.example.com", Type.TXT, false))
                .isInstanceOf(IOException.class);
        assertThat(server.queryCount("slow.example.com", Type.TXT)).isPositive();
    }

    @Test
    void typedTimeoutsDropOnlyThoseTypes() throws IOException {
        server.addTxt("half.example.com", "v=spf1 -all").timeout("half.example.com", Type.A, Type.MX);
        assertThat(ask("half.example.com", Type.TXT, false).getSection(Section.ANSWER)).hasSize(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ask("half.example.com", Type.A, false))
                .isInstanceOf(IOException.class);
    }

    @Test
    void servesPtrMxAndAaaa() throws IOException {
        server.addPtr("192.0.2.3", "mail.example.com").addMx("example.com", 10, "mail.example.com")
                .addAAAA("mail.example.com", "2001:db8::1");
        assertThat(ask("3.2.0.192.in-addr.arpa", Type.PTR, false).getSection(Section.ANSWER)).hasSize(1);
        assertThat(ask("example.com", Type.MX, true).getSection(Section.ANSWER)).hasSize(1);
        assertThat(ask("mail.example.com", Type.AAAA, false).getSection(Section.ANSWER)).hasSize(1);
    }
}
