package dev.gatehouse.identity.auth;

import dev.gatehouse.identity.internal.http.ClientAddress;
import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.signin.AuthResult;
import dev.gatehouse.identity.signin.SignInCompletion;
import dev.gatehouse.identity.signin.SignInConfig;
import dev.gatehouse.identity.signin.SignInContext;
import dev.gatehouse.identity.user.UserDirectory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * Seed 004's {@code dev-sign-in}: sign in as any email without a credential, ONLY in the dev environment
 * ({@code ./gatehouse dev}). The bean does not exist elsewhere (404), and the operation is hidden from the OpenAPI
 * document.
 */
@Hidden
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/auth")
@Requires(env = Environment.DEVELOPMENT)
@Requires(notEnv = {"prod", "production"})
public class DevSignInController {
    private final UserDirectory users;
    private final SignInCompletion completion;
    private final SignInConfig config;

    public DevSignInController(UserDirectory users, SignInCompletion completion, SignInConfig config) {
        this.users = users;
        this.completion = completion;
        this.config = config;
    }

    @Post(value = "/dev-sign-in", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<AuthResult> devSignIn(HttpRequest<?> request, @Body AuthRequests.DevSignIn body) {
        String email = Validation.email(body.email());
        String name = body.name() == null ? null : Validation.required("name", body.name(), 200);
        String organization = body.organizationId() == null ? null : Validation.id("organizationId",
                body.organizationId());
        var user = users.linkVerifiedEmail(email, name, null, "dev").user();
        var context = new SignInContext(config.webClientId(), SessionClient.Delivery.COOKIE, null, "dev",
                organization, ClientAddress.userAgent(request), ClientAddress.of(request));
        return completion.respond(completion.complete(user, context));
    }
}
