import org.postern.dns.InProcessDnsServer;

/**
 * The load benchmarks' DNS: Postern's in-process DNS server (wire protocol, UDP and TCP on 127.0.0.1), so the figures
 * measure the gateway, not DNS timeouts of a machine without a resolver. Arguments name what it answers:
 * {@code spf:DOMAIN} (SPF pass for loopback clients), {@code dmarc:DOMAIN} (a monitoring-only DMARC record,
 * {@code p=none}, as most senders publish one: a cacheable answer, where a missing record costs a query per message
 * because this server's negative answers carry no SOA) and {@code mx:DOMAIN} (an MX pointing at 127.0.0.1, so
 * outbound delivery reaches the local sink). Prints "DNS 127.0.0.1:PORT" and serves until killed.
 * Started by {@code start_bench_dns} in bench/lib.sh with the launcher's class path.
 */
public class BenchDns {
    public static void main(String[] args) throws InterruptedException {
        InProcessDnsServer dns = InProcessDnsServer.start();
        for (String arg : args) {
            String[] kv = arg.split(":", 2);
            if (kv.length != 2 || kv[1].isBlank()) throw new IllegalArgumentException("expected spf:DOMAIN, dmarc:DOMAIN or mx:DOMAIN, got " + arg);
            switch (kv[0]) {
                case "spf" -> dns.addTxt(kv[1], "v=spf1 ip4:127.0.0.0/8 -all");
                case "dmarc" -> dns.addTxt("_dmarc." + kv[1], "v=DMARC1; p=none");
                case "mx" -> dns.addMx(kv[1], 10, "mx." + kv[1]).addA("mx." + kv[1], "127.0.0.1");
                default -> throw new IllegalArgumentException("expected spf:DOMAIN, dmarc:DOMAIN or mx:DOMAIN, got " + arg);
            }
        }
        System.out.println("DNS " + dns.address());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
