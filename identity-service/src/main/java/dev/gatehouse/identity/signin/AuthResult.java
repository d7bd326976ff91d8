package dev.gatehouse.identity.signin;

import dev.gatehouse.identity.user.UserView;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Seed 004's {@code AuthResult}: the shared answer of every sign-in that can branch. Either the user is signed in
 * (and the response also sets the {@code access_token} cookie), or they belong to several organizations and must pick
 * one with {@code POST /auth/organization/select}, echoing the single-use {@code pendingAuthenticationToken}.
 * <pre>
 * { "status": "authenticated", "user": { ...User } }
 * { "status": "orgSelectionRequired", "pendingAuthenticationToken": "...", "organizations": [{"id","name"}] }
 * </pre>
 */
public sealed interface AuthResult permits AuthResult.Authenticated, AuthResult.OrgSelectionRequired {
    String AUTHENTICATED = "authenticated";
    String ORG_SELECTION_REQUIRED = "orgSelectionRequired";

    String status();

    @Serdeable
    record Authenticated(String status, UserView user) implements AuthResult {
        public Authenticated(UserView user) {
            this(AUTHENTICATED, user);
        }
    }

    @Serdeable
    record OrgSelectionRequired(String status, String pendingAuthenticationToken,
                                List<OrganizationChoice> organizations) implements AuthResult {
        public OrgSelectionRequired(String pendingAuthenticationToken, List<OrganizationChoice> organizations) {
            this(ORG_SELECTION_REQUIRED, pendingAuthenticationToken, List.copyOf(organizations));
        }

        /** Never print the token. */
        @Override
        public String toString() {
            return "OrgSelectionRequired[organizations=" + organizations + "]";
        }
    }

    /** One organization to choose from. */
    @Serdeable
    record OrganizationChoice(String id, String name) {
    }
}
