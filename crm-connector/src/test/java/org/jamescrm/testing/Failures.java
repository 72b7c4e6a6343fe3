package org.jamescrm.testing;

import java.util.ArrayList;
import java.util.List;

/** What a failure shows, for the tests that check no secret leaves a connector. */
public final class Failures {

    private Failures() {
    }

    /** The messages of a failure and of all its causes, as a log line with its stack trace would show them. */
    public static String everyMessage(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.add(String.valueOf(cause.getMessage()));
            messages.add(cause.toString());
        }
        return String.join("\n", messages);
    }
}
