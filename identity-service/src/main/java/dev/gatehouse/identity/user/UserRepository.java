package dev.gatehouse.identity.user;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UserRepository extends GenericRepository<UserRepository.UserRow, String> {

    /** The columns the foundation needs; the identity issue grows this. */
    @io.micronaut.data.annotation.MappedEntity("app_user")
    record UserRow(@io.micronaut.data.annotation.Id String id, String username, boolean platformAdmin) {
    }

    /** Inserts a platform admin unless the username is taken (case-insensitively); returns rows inserted. */
    @Query("""
            insert into app_user (id, username, platform_admin, created_at, updated_at)
            values (:id, :username, true, :now, :now)
            on conflict ((lower(username))) do nothing""")
    int insertAdminIfAbsent(String id, String username, Instant now);

    @Query("insert into password_credential (user_id, hash, updated_at) values (:userId, :hash, :now)")
    void insertPassword(String userId, String hash, Instant now);

    @Query("select id, username, platform_admin from app_user where lower(username) = lower(:username)")
    Optional<UserRow> findByUsername(String username);

    @Query("select hash from password_credential where user_id = :userId")
    Optional<String> findPasswordHash(String userId);
}
