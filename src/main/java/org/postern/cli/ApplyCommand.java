package org.postern.cli;

import org.postern.Postern;
import org.postern.edge.NodeServices;
import org.postern.tenant.Tenant;
import org.postern.tenant.TenantDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Creates or replaces tenants from a YAML document; all or nothing. */
@Command(name = "apply", description = "Create or replace tenants from a YAML document (all or nothing)")
public final class ApplyCommand implements Runnable {

    @Mixin
    ConfigOption config;

    @Option(names = "-f", required = true, paramLabel = "TENANT.yaml", description = "tenant document(s): one tenant or a list")
    Path file;

    @Override
    public void run() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Postern.CliFailure("cannot read " + file + ": " + e.getMessage());
        }
        List<Tenant> tenants = TenantDocuments.parse(text);
        if (tenants.isEmpty()) throw new Postern.CliFailure(file + " holds no tenant");
        try (NodeServices services = NodeServices.open(config.load())) {
            services.catalog().apply(tenants);
        }
        for (Tenant t : tenants) {
            System.out.println("applied tenant " + t.id() + " (" + String.join(", ", t.domains()) + ")");
        }
    }
}
