package org.postern.store;

class PostgresTenantDocumentStoreTest extends TenantDocumentStoreContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
