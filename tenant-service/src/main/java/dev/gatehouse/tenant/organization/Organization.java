package dev.gatehouse.tenant.organization;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** An organization (tenant) as stored by tenant-service. */
@MappedEntity("organization")
public record Organization(@Id String id, String slug, String displayName, Instant createdAt, Instant updatedAt) {
}
