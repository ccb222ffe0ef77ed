package org.postern.store;

class H2AccountStoreTest extends AccountStoreContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
