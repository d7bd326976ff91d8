package dev.gatehouse.contract.event;

import java.util.regex.Pattern;

/**
 * A Kafka topic of the platform, named {@code gatehouse.<service>.<aggregate>.v<N>}. A new major version of a
 * topic's events gets a new topic; inside one version only additive changes are allowed.
 *
 * @param name       full topic name
 * @param partitions partition count used when Gatehouse creates the topic
 * @param compacted  whether the topic is log-compacted (latest state per key) rather than time-retained
 */
public record Topic(String name, int partitions, boolean compacted) {
    private static final Pattern NAME = Pattern.compile("gatehouse\\.[a-z]+\\.[a-z-]+\\.v[1-9][0-9]*");

    public Topic {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("topic name must look like gatehouse.<service>.<aggregate>.v<N>: " + name);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1");
        }
    }
}
