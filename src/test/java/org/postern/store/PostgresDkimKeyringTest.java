package org.postern.store;

class PostgresDkimKeyringTest extends DkimKeyringContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
