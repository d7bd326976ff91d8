package dev.gatehouse.contract.token;

/**
 * The outcome of {@link TokenVerifier#verify(String)}: a {@link Principal} or a {@link Rejection}. Switch over it
 * exhaustively:
 *
 * <pre>{@code
 * switch (verifier.verify(token).require("audit_tail.read")) {
 *     case Principal p -> serve(p);
 *     case TokenExpired e -> refreshAndRetry();
 *     case Rejection r -> deny(r.kind());
 * }
 * }</pre>
 */
public sealed interface Verification permits Principal, Rejection {
    /**
     * Narrows this outcome to a principal that holds {@code permission}: a {@link Principal} answers itself or
     * {@link PrincipalLacksPermission}; a {@link Rejection} answers itself.
     */
    Verification require(String permission);
}
