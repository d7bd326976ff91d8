package dev.gatehouse.kit.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the OpenAPI document the build generated for this service ({@code META-INF/swagger/openapi.yml}). */
@Controller
@Hidden
public class OpenApiController {
    static final String RESOURCE = "META-INF/swagger/openapi.yml";
    private final byte[] document;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            this.document = in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(value = "/openapi.yml", produces = "application/yaml")
    public HttpResponse<byte[]> openApi() {
        if (document == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "This build has no OpenAPI document");
        }
        return HttpResponse.ok(document).contentType(MediaType.of("application/yaml"));
    }
}
