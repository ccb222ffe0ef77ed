package org.postern.store;

class PostgresTraceStoreTest extends TraceStoreContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
