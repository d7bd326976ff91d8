package dev.gatehouse.kit.replica;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * Internal, read-only view of this service's organization replica, for operators and the cluster tests. Served on
 * the service's own port under {@code /internal}, which gateway-edge never routes.
 */
@Controller("/internal/v1/organizations")
@Requires(classes = io.micronaut.transaction.TransactionOperations.class)
@Requires(property = OrganizationReplica.ENABLED, value = "true")
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
public class OrganizationReplicaController {
    private final OrganizationReplica.Store store;

    public OrganizationReplicaController(OrganizationReplica.Store store) {
        this.store = store;
    }

    @Get("/{id}")
    public OrganizationReplica.ReplicatedOrganization find(String id) {
        OrgId orgId = OrgId.parseOrNull(id);
        if (orgId == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such organization");
        }
        return store.find(orgId).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No such organization"));
    }
}
