package dev.gatehouse.tenant.internal.http;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;

/** Identifiers taken from request paths: a malformed one names nothing that exists, so it is a 404. */
public final class PathIds {
    private PathIds() {
    }

    public static OrgId organization(String value) {
        OrgId id = OrgId.parseOrNull(value);
        if (id == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such organization");
        }
        return id;
    }

    public static UserId user(String value) {
        try {
            return new UserId(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such user");
        }
    }
}
