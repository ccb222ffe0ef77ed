package org.postern.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void h2FileDatabaseIsSharedWithOtherLocalProcesses() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:h2:file:./data/postern");

        assertThat(url.kind()).isEqualTo(Database.Kind.H2);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:h2:file:./data/postern;LOCK_TIMEOUT=5000;AUTO_SERVER=TRUE");
        assertThat(url.isH2File()).isTrue();
    }

    @Test
    void settingsGivenInTheUrlWin() {
        assertThat(DatabaseUrl.parse("jdbc:h2:file:./x;auto_server=false;LOCK_TIMEOUT=100").jdbcUrl())
                .isEqualTo("jdbc:h2:file:./x;auto_server=false;LOCK_TIMEOUT=100");
        assertThat(DatabaseUrl.parse("jdbc:h2:./x;FILE_LOCK=NO").jdbcUrl())
                .isEqualTo("jdbc:h2:./x;FILE_LOCK=NO;LOCK_TIMEOUT=5000");
    }

    @Test
    void h2MemoryDatabaseOutlivesIdleConnections() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:h2:mem:test");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=5000");
        assertThat(url.isH2Memory()).isTrue();
        assertThat(url.isH2File()).isFalse();
    }

    @Test
    void h2ServerUrlGetsNoAutoServer() {
        assertThat(DatabaseUrl.parse("jdbc:h2:tcp://db.internal/postern").jdbcUrl())
                .isEqualTo("jdbc:h2:tcp://db.internal/postern;LOCK_TIMEOUT=5000");
    }

    @Test
    void postgresUrlNamesItsDatabaseAndMaintenanceDatabase() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:5432/postern?user=postgres&password=s3cret");

        assertThat(url.kind()).isEqualTo(Database.Kind.POSTGRESQL);
        assertThat(url.postgresDatabase()).contains("postern");
        assertThat(url.postgresMaintenanceUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=s3cret");
        assertThat(url.redacted()).doesNotContain("s3cret").contains("password=***");
    }

    @Test
    void postgresUrlWithoutDatabaseNamesNone() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:5432/").postgresDatabase()).isEmpty();
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h1:5432,h2:5432/mail").postgresDatabase()).contains("mail");
    }
}
