package org.postern.cli;

import org.postern.Postern;
import org.postern.account.Role;
import org.postern.edge.NodeServices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** {@code user add --tenant T --email ADDR [--role user|tenant-admin] --password-stdin}: a console/submission user. */
@Command(name = "user", description = "Console and submission users",
        subcommands = {UserCommand.Add.class, UserCommand.Unrestrict.class})
public final class UserCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name a subcommand: add, unrestrict");
    }

    @Command(name = "add", description = "Add a user (or set a new password and role); the password is read from stdin")
    static final class Add implements Runnable {
        @Mixin ConfigOption config;
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--email", required = true) String email;
        @Option(names = "--role", defaultValue = "user", description = "user | tenant-admin (default: ${DEFAULT-VALUE})") String role;
        @Option(names = "--password-stdin", required = true, description = "read the password from the first line of stdin") boolean passwordStdin;

        @Override
        public void run() {
            String password;
            try {
                password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new Postern.CliFailure("cannot read the password from stdin: " + e.getMessage());
            }
            if (password == null || password.isEmpty()) throw new Postern.CliFailure("no password on stdin");
            try (NodeServices services = NodeServices.open(config.load())) {
                if (services.catalog().get(tenant).isEmpty()) throw new Postern.CliFailure("no tenant " + tenant);
                var account = services.accounts().add(tenant, email, Role.parse(role), password);
                System.out.println("user " + account.email() + " (" + account.role().wire() + ") of tenant " + tenant + " saved");
            } catch (IllegalArgumentException e) {
                throw new Postern.CliFailure(e.getMessage());
            }
        }
    }

    /** {@code user unrestrict --tenant T --email ADDR}: lifts the restriction an outbound limit put on a submission user. */
    @Command(name = "unrestrict", description = "Let a user restricted after an outbound limit send again")
    static final class Unrestrict implements Runnable {
        @Mixin ConfigOption config;
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--email", required = true) String email;

        @Override
        public void run() {
            try (NodeServices services = NodeServices.open(config.load())) {
                if (services.catalog().get(tenant).isEmpty()) throw new Postern.CliFailure("no tenant " + tenant);
                if (!services.restrictions().lift(tenant, email)) throw new Postern.CliFailure(email + " is not a restricted user of tenant " + tenant);
                new org.postern.admin.AuditLog(services.dataSource(), java.time.Clock.systemUTC())
                        .record(tenant, "cli", "unrestrict " + email, "restricted", "unrestricted");
                System.out.println("user " + email + " of tenant " + tenant + " may send again");
            }
        }
    }
}
