package org.postern.store;

class H2DmarcResultStoreTest extends DmarcResultStoreContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
