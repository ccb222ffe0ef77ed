package org.postern.store;

class PostgresAccountStoreTest extends AccountStoreContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
