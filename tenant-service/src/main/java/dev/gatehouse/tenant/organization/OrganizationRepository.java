package dev.gatehouse.tenant.organization;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface OrganizationRepository extends GenericRepository<Organization, String> {

    /** Inserts unless the slug is taken; returns 0 when it is (race-free, unlike check-then-insert). */
    @Query("""
            insert into organization (id, slug, display_name, created_at, updated_at)
            values (:id, :slug, :displayName, :createdAt, :createdAt)
            on conflict (slug) do nothing""")
    int insertIfSlugFree(String id, String slug, String displayName, Instant createdAt);

    Optional<Organization> findById(String id);
}
