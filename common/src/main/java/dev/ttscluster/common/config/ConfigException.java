package dev.ttscluster.common.config;

import dev.ttscluster.common.error.FatalException;

/** A configuration value is missing, malformed or out of range; the message names the key. */
public final class ConfigException extends FatalException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
