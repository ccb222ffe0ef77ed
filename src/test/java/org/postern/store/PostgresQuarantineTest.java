package org.postern.store;

class PostgresQuarantineTest extends QuarantineStoreContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
