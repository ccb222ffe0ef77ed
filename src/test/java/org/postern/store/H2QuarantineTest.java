package org.postern.store;

class H2QuarantineTest extends QuarantineStoreContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
