package org.jamescrm.settings;

/**
 * The settings file cannot be used. The message names the file, the key and what is allowed, e.g.
 * {@code conf/crm-capture.xml: key 'connector' has value 'memroy'; allowed values: memory}.
 */
public class InvalidSettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidSettingsException(String message) {
        super(message);
    }

    public InvalidSettingsException(String message, Throwable cause) {
        super(message, cause);
    }

    /** One problem in a settings document, before the file name is known; the parser adds it. */
    static final class Problem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message);
        }
    }
}
