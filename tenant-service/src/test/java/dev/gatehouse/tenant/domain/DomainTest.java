package dev.gatehouse.tenant.domain;

import dev.gatehouse.tenant.support.Api;
import dev.gatehouse.tenant.support.StubDnsResolver;
import dev.gatehouse.tenant.support.TenantServers;
import dev.gatehouse.tenant.support.TestIssuer;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Domains proven by DNS TXT records (DNS stubbed at the resolver boundary), discovery and just-in-time joins. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("unchecked")
class DomainTest implements TenantServers {
    private static final String PLATFORM = TestIssuer.get().platformAdmin();
    private static final String SERVICE = TestIssuer.get().service();

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    @Inject
    StubDnsResolver dns;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("gatehouse.test.dns-stub", "true");
    }

    private Api api() {
        return new Api(server.getURI(), json);
    }

    private String organization() {
        return api().post("/api/v1/organizations", PLATFORM, "{\"slug\":\"" + unique("dom-")
                + "\",\"displayName\":\"D\"}").status(201).string("id");
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Test
    void aDomainIsVerifiedByItsTxtRecordAndThenRoutesSignInAndJoins() {
        var api = api();
        String org = organization();
        String domain = unique("acme") + ".example.com";
        String base = "/api/v1/organizations/" + org + "/domains";
        var claimed = api.post(base, PLATFORM, "{\"domain\":\"" + domain.toUpperCase() + "\"}").status(201).map();
        assertThat(claimed).containsEntry("domain", domain).containsEntry("status", "pending");
        var verification = (Map<String, String>) claimed.get("verification");
        assertThat(verification).containsEntry("recordType", "TXT").containsEntry("name", "_gatehouse." + domain);
        assertThat(verification.get("value")).matches("gatehouse-verification=[0-9a-f]{32}");
        assertThat(api.post(base, PLATFORM, "{\"domain\":\"" + domain + "\"}").status(200).map()).isEqualTo(claimed);

        // not yet published: nothing routes there
        api.post(base + "/" + domain + "/verify", PLATFORM, null).problem(409, "conflict");
        api.get("/internal/v1/domains/" + domain, SERVICE).problem(404, "not-found");
        dns.publish("_gatehouse." + domain, "v=spf1 -all", "gatehouse-verification=wrong");
        api.post(base + "/" + domain + "/verify", PLATFORM, null).problem(409, "conflict");
        dns.down(true);
        api.post(base + "/" + domain + "/verify", PLATFORM, null).problem(503, "service-unavailable");
        dns.down(false);

        dns.publish("_gatehouse." + domain, "v=spf1 -all", verification.get("value"));
        var verified = api.post(base + "/" + domain + "/verify", PLATFORM, null).status(200).map();
        assertThat(verified).containsEntry("status", "verified").containsKey("verifiedAt");
        var discovery = api.get("/internal/v1/domains/" + domain, SERVICE).status(200).map();
        assertThat(discovery).containsEntry("organizationId", org).containsEntry("domain", domain)
                .containsEntry("jitRole", "viewer");
        api.get("/internal/v1/domains/" + domain, PLATFORM).problem(403, "forbidden");

        // another organization cannot take it over
        String other = organization();
        api.post("/api/v1/organizations/" + other + "/domains", PLATFORM, "{\"domain\":\"" + domain + "\"}")
                .problem(409, "conflict");

        // just-in-time membership for verified addresses of the domain only
        String jit = "/internal/v1/organizations/" + org + "/jit-memberships";
        String user = unique("usr_jit_");
        assertThat(api.post(jit, SERVICE, "{\"userId\":\"" + user + "\",\"email\":\"a@" + domain + "\"}")
                .status(201).map()).containsEntry("roles", List.of("viewer"));
        api.post(jit, SERVICE, "{\"userId\":\"" + user + "\",\"email\":\"a@" + domain + "\"}").status(200);
        api.post(jit, SERVICE, "{\"userId\":\"" + unique("usr_x_") + "\",\"email\":\"a@elsewhere.example\"}")
                .problem(403, "forbidden");
        api.get("/api/v1/organizations/" + org, TestIssuer.get().user(user)).status(200);

        assertThat(api.get(base, PLATFORM).data()).extracting(d -> d.get("domain")).containsExactly(domain);
        api.delete(base + "/" + domain, PLATFORM).status(204);
        api.get("/internal/v1/domains/" + domain, SERVICE).problem(404, "not-found");
        api.delete(base + "/" + domain, PLATFORM).problem(404, "not-found");
    }

    @Test
    void badDomainsAreRefused() {
        var api = api();
        String base = "/api/v1/organizations/" + organization() + "/domains";
        for (String bad : List.of("localhost", "-bad.example.com", "exa mple.com", "a..b.com", "192.168.0.1", "")) {
            api.post(base, PLATFORM, "{\"domain\":\"" + bad + "\"}").problem(400, "validation-failed");
        }
        api.post(base + "/nope.example.com/verify", PLATFORM, null).problem(404, "not-found");
    }

    @Test
    void namesAreNormalisedAndTxtStringsJoined() {
        assertThat(DomainService.normalise("Bücher.Example.COM.")).isEqualTo("xn--bcher-kva.example.com");
        assertThat(DomainService.normalise("x.y")).isEqualTo("x.y");
        assertThat(DomainService.normalise("nodot")).isNull();
        assertThat(JndiDnsResolver.unquote("\"gatehouse-verification=\" \"abc\"")).isEqualTo("gatehouse-verification=abc");
        assertThat(JndiDnsResolver.unquote("plain")).isEqualTo("plain");
    }
}
