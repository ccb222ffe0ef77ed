package org.postern.store;

class H2TenantDocumentStoreTest extends TenantDocumentStoreContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
