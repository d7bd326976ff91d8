package dev.gatehouse.contract.token;

/**
 * Why a token was not accepted. The kinds and their meaning are the wire contract's (seed 002): an SDK treats
 * {@link TokenInvalid} and {@link PrincipalLacksPermission} as final and answers {@link TokenExpired} by refreshing.
 */
public sealed interface Rejection extends Verification permits TokenInvalid, TokenExpired, PrincipalLacksPermission {
    /** The error kind as it goes over the wire: {@code TokenInvalid}, {@code TokenExpired} or {@code PrincipalLacksPermission}. */
    String kind();

    /** A rejection stays what it is. */
    @Override
    default Verification require(String permission) {
        return this;
    }
}
