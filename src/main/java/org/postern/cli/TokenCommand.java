package org.postern.cli;

import org.postern.Postern;
import org.postern.account.Role;
import org.postern.edge.NodeServices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Optional;

/** {@code token create --role operator | --tenant T --role tenant-admin|user}: prints a new bearer token last. */
@Command(name = "token", description = "API bearer tokens", subcommands = TokenCommand.Create.class)
public final class TokenCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name a subcommand: create");
    }

    @Command(name = "create", description = "Create a bearer token for the admin API (printed once, stored hashed)")
    static final class Create implements Runnable {
        @Mixin ConfigOption config;
        @Option(names = "--role", required = true, description = "operator | tenant-admin | user") String role;
        @Option(names = "--tenant") String tenant;

        @Override
        public void run() {
            Role r;
            try {
                r = Role.parse(role);
            } catch (IllegalArgumentException e) {
                throw new Postern.CliFailure(e.getMessage());
            }
            if (r == Role.OPERATOR && tenant != null) throw new Postern.CliFailure("--role operator takes no --tenant");
            if (r != Role.OPERATOR && tenant == null) throw new Postern.CliFailure("--role " + r.wire() + " needs --tenant");
            try (NodeServices services = NodeServices.open(config.load())) {
                if (tenant != null && services.catalog().get(tenant).isEmpty()) throw new Postern.CliFailure("no tenant " + tenant);
                String token = services.tokens().create(r, Optional.ofNullable(tenant));
                System.out.println("token for " + r.wire() + (tenant == null ? "" : " of tenant " + tenant) + " (shown once; send it as 'Authorization: Bearer TOKEN'):");
                System.out.println(token);
            }
        }
    }
}
