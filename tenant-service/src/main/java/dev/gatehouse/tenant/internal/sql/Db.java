package dev.gatehouse.tenant.internal.sql;

import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * tenant-service's one way into PostgreSQL: plain JDBC inside a Micronaut transaction, so that the outbox row
 * ({@code Outbox.record}) commits with the change it describes. Plain SQL rather than generated repositories: the
 * hot queries (permission lookup, paged lists) are written and indexed by hand.
 */
@Singleton
public class Db {
    private final TransactionOperations<Connection> transactions;

    public Db(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /** Work on one connection; may throw {@link SQLException}. */
    @FunctionalInterface
    public interface Work<R> {
        R run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in a read-write transaction (joining the caller's, if any). */
    public <R> R write(Work<R> work) {
        return transactions.executeWrite(status -> work.run(status.getConnection()));
    }

    /** Runs {@code work} in a read-only transaction (joining the caller's, if any). */
    public <R> R read(Work<R> work) {
        return transactions.executeRead(status -> work.run(status.getConnection()));
    }

    /** Runs {@code action} once the current transaction has committed. */
    public void afterCommit(Runnable action) {
        transactions.findTransactionStatus().orElseThrow(() -> new IllegalStateException("no transaction"))
                .registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        action.run();
                    }
                });
    }
}
