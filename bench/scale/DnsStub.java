import org.postern.dns.InProcessDnsServer;

/**
 * The benchmark's DNS: Postern's loopback DNS server answering for the load's sender domain (SPF pass for loopback
 * clients; no DMARC record), so the figures measure the gateway and the stores, not DNS timeouts. Prints
 * "DNS host:port" and serves until killed.
 */
public class DnsStub {
    public static void main(String[] args) throws InterruptedException {
        InProcessDnsServer dns = InProcessDnsServer.start();
        dns.addTxt("example.org", "v=spf1 ip4:127.0.0.0/8 -all");
        System.out.println("DNS " + dns.address());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
