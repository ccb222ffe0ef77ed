package org.postern.tenant;

import org.postern.testsupport.PosternCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.rules.RuleSet;
import org.postern.store.Database;
import org.postern.store.JdbcTenantDocumentStore;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transport rules are validated when a tenant document is applied: one bad rule refuses the whole document. */
class TransportRulesApplyTest {

    private static final String GOOD = """
            - id: contoso
              domains: [contoso.test]
              delivery: "maildir:/tmp/contoso"
              connectors:
                - { name: partner-fabrikam, kind: partner, match: { sender-domains: [fabrikam.test] } }
              transport-rules:
                - { name: trust-payroll, priority: 10, when: { sender-domain-is: [payroll.test] }, then: { set-scl: -1 } }
                - { name: from-partner, priority: 20, when: { connector-is: [partner-fabrikam] }, then: { add-header: { X-Partner: "yes" } } }
            """;

    /** A new tenant and a change to contoso in one document; contoso's second rule injects a header. */
    private static final String BAD = """
            - id: northwind
              domains: [northwind.test]
              delivery: "maildir:/tmp/northwind"
            - id: contoso
              domains: [contoso.test]
              delivery: "maildir:/tmp/contoso"
              transport-rules:
                - { name: trust-payroll, priority: 10, when: { sender-domain-is: [payroll.test, payroll2.test] }, then: { set-scl: -1 } }
                - { name: tag, priority: 20, then: { add-header: { X-Tag: "x\\r\\nBcc: spy@evil.test" } } }
            """;

    @TempDir Path dir;
    private Database db;
    private TenantCatalog catalog;

    @BeforeEach
    void open() {
        db = Database.open("jdbc:h2:file:" + dir.resolve("postern").toAbsolutePath());
        catalog = new TenantCatalog(new JdbcTenantDocumentStore(db.dataSource()));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void appliedTenantCarriesItsCompiledRules() {
        catalog.apply(TenantDocuments.parse(GOOD));
        Tenant contoso = catalog.get("contoso").orElseThrow();
        assertThat(contoso.transportRules().names()).containsExactly("trust-payroll", "from-partner");
        assertThat(contoso.transportRules()).isEqualTo(TenantDocuments.parse(GOOD).get(0).transportRules());
        assertThat(TenantDocuments.parse("id: c\ndomains: [c.test]\ndelivery: maildir:/x\n").get(0).transportRules()).isEqualTo(RuleSet.EMPTY);
    }

    @Test
    void aBadRuleRefusesTheWholeDocumentNamingTenantRuleAndField() {
        catalog.apply(TenantDocuments.parse(GOOD));
        long version = catalog.version();

        assertThatThrownBy(() -> catalog.apply(TenantDocuments.parse(BAD)))
                .isInstanceOf(TenantValidationException.class)
                .hasMessage("tenant 'contoso': transport-rules[1] 'tag': then.add-header.X-Tag: the value of X-Tag contains a line break (header injection)");

        assertThat(catalog.version()).isEqualTo(version);
        assertThat(catalog.get("northwind")).isEmpty();
        assertThat(catalog.get("contoso").orElseThrow().transportRules().names()).containsExactly("trust-payroll", "from-partner");
    }

    @Test
    void connectorIsMustNameOneOfTheTenantsConnectors() {
        assertThatThrownBy(() -> TenantDocuments.parse(GOOD.replace("connector-is: [partner-fabrikam]", "connector-is: [partner-contoso]")))
                .hasMessage("tenant 'contoso': transport-rules[1] 'from-partner': when.connector-is: the tenant has no connector 'partner-contoso'");
    }

    @Test
    void applyCommandRefusesTheDocumentAndChangesNothing() throws Exception {
        Path config = dir.resolve("postern.yaml");
        Files.writeString(config, """
                node: { hostname: mx.apply.postern.test, data-dir: %1$s }
                store: { url: "jdbc:h2:file:%1$s/postern" }
                """.formatted(dir.toAbsolutePath()));
        Path good = dir.resolve("good.yaml");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(good, GOOD);
        Files.writeString(bad, BAD);
        db.close(); // the command opens the store itself

        assertThat(cli("apply", "--config", config.toString(), "-f", good.toString()).code).isZero();
        Cli refused = cli("apply", "--config", config.toString(), "-f", bad.toString());
        assertThat(refused.code).isEqualTo(1);
        assertThat(refused.err).contains("tenant 'contoso': transport-rules[1] 'tag': then.add-header.X-Tag");

        open();
        assertThat(catalog.get("northwind")).isEmpty();
        assertThat(catalog.get("contoso").orElseThrow().document().transportRules()).hasSize(2);
        assertThat(catalog.get("contoso").orElseThrow().transportRules().names()).containsExactly("trust-payroll", "from-partner");
    }

    private record Cli(int code, String err) { }

    private static Cli cli(String... args) {
        var run = PosternCli.run(args);
        return new Cli(run.exit(), run.err());
    }
}
