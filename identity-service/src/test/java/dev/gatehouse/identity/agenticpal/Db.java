package dev.gatehouse.identity.agenticpal;

import dev.gatehouse.identity.apps.AppsFixture;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Direct reads and writes of identity-service's database, to look at what is stored and to age it. */
final class Db {
    private Db() {
    }

    static String userId(AppsFixture fixture, String email) {
        return query(fixture, "select id from app_user where lower(email) = lower(?)", email);
    }

    static String query(AppsFixture fixture, String sql, String parameter) {
        try (Connection c = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(fixture.stack.bean(DataSource.class)).getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void update(AppsFixture fixture, String sql, String parameter) {
        try (Connection c = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(fixture.stack.bean(DataSource.class)).getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
