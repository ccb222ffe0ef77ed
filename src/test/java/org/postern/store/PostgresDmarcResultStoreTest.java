package org.postern.store;

class PostgresDmarcResultStoreTest extends DmarcResultStoreContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
