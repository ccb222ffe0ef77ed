import org.postern.dns.InProcessDnsServer;

/**
 * The benchmark's DNS: Postern's in-process DNS server (wire protocol, UDP and TCP on 127.0.0.1) with an MX for
 * the recipient domain pointing at 127.0.0.1, so outbound delivery goes to the local sink. Prints
 * "DNS 127.0.0.1:PORT" and serves until killed. Run with the launcher's class path:
 * {@code java -cp target/classes:$(cat target/runtime.classpath) bench/outbound/BenchDns.java DOMAIN}.
 */
public class BenchDns {
    public static void main(String[] args) throws InterruptedException {
        String domain = args.length > 0 ? args[0] : "dest.test";
        InProcessDnsServer dns = InProcessDnsServer.start();
        dns.addMx(domain, 10, "mx." + domain).addA("mx." + domain, "127.0.0.1");
        System.out.println("DNS " + dns.address());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
