package org.postern.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the repository tests that run unchanged on H2 and PostgreSQL: each concrete subclass says which
 * database; the class shares it and every test starts from empty tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract {

    protected TestDatabase db;

    protected abstract TestDatabase openDatabase();

    @BeforeAll
    void open() {
        db = openDatabase();
    }

    @AfterAll
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void startEmpty() {
        db.wipe();
    }
}
