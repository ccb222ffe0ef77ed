package org.postern.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.postern.Postern;
import org.postern.config.OperatorConfig;
import org.postern.edge.NodeServices;
import org.postern.outbound.DkimKeyring;
import org.postern.outbound.KeySealer;
import org.postern.tenant.Tenant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dkim keygen} and {@code dkim list}: a tenant's DKIM signing keys and the TXT records to publish. */
@Command(name = "dkim", description = "DKIM signing keys of tenants", subcommands = {DkimCommand.Keygen.class, DkimCommand.ListKeys.class})
public final class DkimCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name a subcommand: keygen, list");
    }

    static DkimKeyring keyring(NodeServices services, OperatorConfig config) {
        return new DkimKeyring(services.dataSource(), KeySealer.forDataDir(Path.of(config.node().dataDir())), Clock.systemUTC());
    }

    @Command(name = "keygen", description = "Make a tenant's signing keys (stored sealed) and print the TXT records to publish")
    static final class Keygen implements Runnable {
        @Mixin ConfigOption config;
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--domain", required = true, description = "one of the tenant's domains (the header From domain it signs)") String domain;
        @Option(names = "--selector", required = true) String selector;
        @Option(names = "--algorithm", defaultValue = "both",
                description = "rsa (2048 bits) | ed25519 | both (default: ${DEFAULT-VALUE}; published at SELECTOR-rsa and SELECTOR-ed25519)")
        String algorithm;

        @Override
        public void run() {
            List<DkimKeyring.Algorithm> algorithms = switch (algorithm.toLowerCase(Locale.ROOT)) {
                case "both" -> List.of(DkimKeyring.Algorithm.RSA, DkimKeyring.Algorithm.ED25519);
                case "rsa" -> List.of(DkimKeyring.Algorithm.RSA);
                case "ed25519" -> List.of(DkimKeyring.Algorithm.ED25519);
                default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--algorithm must be rsa, ed25519 or both, not '" + algorithm + "'");
            };
            OperatorConfig c = config.load();
            try (NodeServices services = NodeServices.open(c)) {
                Tenant t = services.catalog().get(tenant).orElseThrow(() -> new Postern.CliFailure("no tenant " + tenant));
                String d = domain.toLowerCase(Locale.ROOT);
                if (!t.ownsDomain(d)) throw new Postern.CliFailure(domain + " is not a domain of tenant " + tenant + " " + t.domains());
                List<DkimKeyring.PublishedKey> keys = keyring(services, c).generate(tenant, d, selector, algorithms);
                boolean listed = t.document().dkim().stream().anyMatch(k -> k.domain().equalsIgnoreCase(d) && k.selector().equalsIgnoreCase(selector));
                System.out.println("; DKIM keys of tenant " + tenant + " for " + d + " stored (private keys sealed); publish:");
                for (DkimKeyring.PublishedKey k : keys) System.out.println(DkimKeyring.zoneLine(k));
                if (!listed) {
                    System.out.println("; then sign with them: add to the tenant document  dkim: [{ domain: " + d + ", selector: "
                            + selector.toLowerCase(Locale.ROOT) + " }]");
                }
            } catch (IllegalArgumentException e) {
                throw new Postern.CliFailure(e.getMessage());
            }
        }
    }

    @Command(name = "list", description = "A tenant's DKIM keys and their TXT records")
    static final class ListKeys implements Runnable {
        @Mixin ConfigOption config;
        @Option(names = "--tenant", required = true) String tenant;

        @Override
        public void run() {
            OperatorConfig c = config.load();
            try (NodeServices services = NodeServices.open(c)) {
                for (DkimKeyring.PublishedKey k : keyring(services, c).list(tenant)) {
                    System.out.println(DkimKeyring.zoneLine(k));
                }
            }
        }
    }
}
