package org.postern.store;

class H2TraceStoreTest extends TraceStoreContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
