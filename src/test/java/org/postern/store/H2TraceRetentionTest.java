package org.postern.store;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** H2: one plain table, retention is a DELETE. */
class H2TraceRetentionTest extends TraceRetentionContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }

    @Override
    void expectDropped(List<String> dropped, LocalDate oldDay) {
        assertThat(dropped).isEmpty();
    }
}
