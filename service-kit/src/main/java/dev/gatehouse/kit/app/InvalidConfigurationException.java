package dev.gatehouse.kit.app;

import java.util.List;

/** The service's configuration is unusable; each problem names its key. */
public class InvalidConfigurationException extends RuntimeException {
    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
