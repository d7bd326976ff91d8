package dev.gatehouse.tenant.domain;

import jakarta.inject.Singleton;

import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

/** TXT lookups through the JDK's own DNS provider (JNDI {@code dns:}), no extra dependency. */
@Singleton
public class JndiDnsResolver implements DnsResolver {
    private final DomainConfig config;

    public JndiDnsResolver(DomainConfig config) {
        this.config = config;
    }

    @Override
    public List<String> txtRecords(String name) {
        var env = new Hashtable<String, String>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        if (config.dnsServer() != null) {
            env.put("java.naming.provider.url", "dns://" + config.dnsServer());
        }
        env.put("com.sun.jndi.dns.timeout.initial", String.valueOf(Math.max(100, config.dnsTimeout().toMillis() / 2)));
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        InitialDirContext context = null;
        try {
            context = new InitialDirContext(env);
            Attributes attributes = context.getAttributes(name, new String[]{"TXT"});
            Attribute txt = attributes.get("TXT");
            List<String> records = new ArrayList<>();
            if (txt != null) {
                NamingEnumeration<?> values = txt.getAll();
                while (values.hasMore()) {
                    records.add(unquote(String.valueOf(values.next())));
                }
            }
            return records;
        } catch (NameNotFoundException e) {
            return List.of();
        } catch (NamingException e) {
            throw new DnsUnavailableException("TXT lookup failed: " + e.getClass().getSimpleName(), e);
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException ignored) {
                    // nothing to release
                }
            }
        }
    }

    /** JNDI gives {@code "a" "b"} for a record of two strings: one value, as DNS clients read it. */
    static String unquote(String value) {
        String v = value.strip();
        if (!v.startsWith("\"")) {
            return v;
        }
        var out = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == '\\' && i + 1 < v.length()) {
                out.append(v.charAt(++i));
            } else if (quoted) {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
