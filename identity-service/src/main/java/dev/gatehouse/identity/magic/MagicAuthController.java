package dev.gatehouse.identity.magic;

import dev.gatehouse.identity.internal.http.ClientAddress;
import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.signin.AuthResult;
import dev.gatehouse.identity.signin.SignInCompletion;
import dev.gatehouse.identity.signin.SignInConfig;
import dev.gatehouse.identity.signin.SignInContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 004's magic-code operations: {@code POST /auth/magic/resend} mails a 6-digit code, {@code POST
 * /auth/magic/finalize} redeems it for the {@link AuthResult} (and the {@code access_token} cookie).
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/auth/magic")
@Tag(name = "Auth")
public class MagicAuthController {
    private final MagicAuth magic;
    private final SignInCompletion completion;
    private final SignInConfig signIn;

    public MagicAuthController(MagicAuth magic, SignInCompletion completion, SignInConfig signIn) {
        this.magic = magic;
        this.completion = completion;
        this.signIn = signIn;
    }

    @Operation(operationId = "resend-magic-auth", summary = "Send a sign-in code by mail",
            description = "Body {email}. Always 202 with no body, whether or not the address has an account (the code"
                    + " is mailed only where it may sign in). Asking too often: 429 with Retry-After.")
    @Post(value = "/resend", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Void> resend(HttpRequest<?> request, @Body MagicRequests.Resend body) {
        String email = MagicFields.email(body.email());
        magic.send(email, null, ClientAddress.of(request));
        return HttpResponse.<Void>accepted().header("Cache-Control", "no-store");
    }

    @Operation(operationId = "finalize-magic-auth", summary = "Sign in with the mailed code",
            description = "Body {email, code}. Answers the AuthResult (authenticated + Set-Cookie, or "
                    + "orgSelectionRequired). A code works once, for 10 minutes; 5 wrong guesses void it. Every "
                    + "refusal is the same 400 naming code.")
    @Post(value = "/finalize", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<AuthResult> finalizeMagic(HttpRequest<?> request, @Body MagicRequests.Finalize body) {
        String email = MagicFields.email(body.email());
        String code = MagicFields.code(body.code());
        return switch (magic.redeem(email, code)) {
            case MagicAuth.Verified verified -> completion.respond(completion.complete(verified.user(),
                    new SignInContext(signIn.webClientId(), SessionClient.Delivery.COOKIE, null, "magic", null,
                            ClientAddress.userAgent(request), ClientAddress.of(request))));
            case MagicAuth.Refused ignored -> throw MagicFields.BAD_CODE;
        };
    }
}
