package org.postern.store;

class H2DkimKeyringTest extends DkimKeyringContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
