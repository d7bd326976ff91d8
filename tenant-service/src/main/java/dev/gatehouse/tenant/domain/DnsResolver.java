package dev.gatehouse.tenant.domain;

import java.util.List;

/**
 * Looks up DNS TXT records: the boundary domain verification crosses. The default is {@link JndiDnsResolver}; tests
 * replace this bean (and only this bean) with a stub or point it at a local DNS server.
 */
public interface DnsResolver {
    /**
     * The TXT records at {@code name} (each record's strings joined), empty when the name does not exist or has none.
     *
     * @throws DnsUnavailableException when DNS could not answer (timeout, server failure)
     */
    List<String> txtRecords(String name);

    /** DNS did not answer; the check can be retried later. */
    class DnsUnavailableException extends RuntimeException {
        public DnsUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
