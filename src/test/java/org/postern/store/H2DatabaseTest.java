package org.postern.store;

class H2DatabaseTest extends DatabaseContract {
    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }

    @Override
    protected Database.Kind expectedKind() {
        return Database.Kind.H2;
    }
}
