package org.jamescrm.james.queue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import jakarta.mail.MessagingException;

import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.MailetConfig;
import org.jamescrm.spi.settings.Durations;
import org.jamescrm.spi.settings.SettingsProblem;
import org.jamescrm.spi.settings.SettingsValues;

/**
 * The capture queue parameters of the {@code CaptureToCrm} mailet, parsed once and validated: an
 * unknown parameter or a bad value stops James's start with the parameter's name.
 *
 * @param queue           {@code <queue>}: the James mail queue of captures (default {@code crm-capture})
 * @param maxRetries      {@code <maxRetries>}: attempts after the first before a capture is parked (default 8)
 * @param retryDelays     {@code <retryDelays>}: the waits before each retry, comma separated
 *                        (default {@code 5 seconds, 30 seconds, 2 minutes, 10 minutes, 1 hour}); the
 *                        last one repeats; a CRM's Retry-After is honoured when longer
 * @param errorRepository {@code <errorRepository>}: where parked captures go, for an administrator to
 *                        look at and replay (default {@code memory://var/mail/crm-capture-error/})
 * @param consumerThreads {@code <consumerThreads>}: threads parsing captured mails and acting on
 *                        the outcomes (default 4)
 * @param roundSize       {@code <roundSize>}: the most captures one round looks up and writes
 *                        together (default 300); a round takes what arrived while the previous
 *                        one ran
 * @param roundWait       {@code <roundWait>}: the longest a capture waits for others to share its
 *                        round while the server is busy (default 3 seconds)
 * @param breakerFailures {@code <breakerFailures>}: the consecutive rounds the CRM fails (down,
 *                        unreachable, timing out) that open the connector's circuit breaker (default 5)
 * @param breakerProbe    {@code <breakerProbe>}: how often the open breaker lets one capture probe the
 *                        CRM (default 30 seconds); the others wait without spending retries, a round's
 *                        worth held in memory until the next probe, the rest in the queue
 * @param warningDepth    {@code <warningDepth>}: the captures waiting in the queue from which the status
 *                        route and the health check warn (default ten rounds: 10 × {@code roundSize})
 */
public record CaptureQueueConfiguration(MailQueueName queue, int maxRetries, List<Duration> retryDelays,
                                        MailRepositoryUrl errorRepository, int consumerThreads, int roundSize, Duration roundWait,
                                        int breakerFailures, Duration breakerProbe, long warningDepth) {

    static final String DEFAULT_RETRY_DELAYS = "5 seconds, 30 seconds, 2 minutes, 10 minutes, 1 hour";
    /** Parameters of this mailet, and those every James mailet accepts. */
    private static final Set<String> PARAMETERS = Set.of("queue", "maxRetries", "retryDelays", "errorRepository",
        "consumerThreads", "roundSize", "roundWait", "breakerFailures", "breakerProbe", "warningDepth", "onMailetException",
        "onMatcherException");
    /** The default warning depth, in rounds. */
    static final int WARNING_ROUNDS = 10;

    public CaptureQueueConfiguration {
        retryDelays = List.copyOf(retryDelays);
    }

    /** Parses the mailet's parameters. */
    public static CaptureQueueConfiguration from(MailetConfig config) throws MessagingException {
        Iterator<String> names = config.getInitParameterNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!PARAMETERS.contains(name)) {
                throw new MessagingException(config.getMailetName() + ": unknown parameter <" + name + ">; allowed parameters: "
                    + String.join(", ", PARAMETERS.stream().sorted().toList()));
            }
        }
        int roundSize = number(config, "roundSize", "300", 1);
        return new CaptureQueueConfiguration(
            MailQueueName.of(parameter(config, "queue", "crm-capture")),
            number(config, "maxRetries", "8", 0),
            delays(config),
            MailRepositoryUrl.from(parameter(config, "errorRepository", "memory://var/mail/crm-capture-error/")),
            number(config, "consumerThreads", "4", 1),
            roundSize,
            duration(config, "roundWait", "3 seconds"),
            number(config, "breakerFailures", "5", 1),
            duration(config, "breakerProbe", "30 seconds"),
            number(config, "warningDepth", String.valueOf((long) WARNING_ROUNDS * roundSize), 1));
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delayBeforeRetry(int retry) {
        return retryDelays.get(Math.min(retry, retryDelays.size()) - 1);
    }

    private static String parameter(MailetConfig config, String name, String defaultValue) {
        String value = config.getInitParameter(name);
        return value == null || value.isBlank() ? defaultValue : value.strip();
    }

    private static int number(MailetConfig config, String name, String defaultValue, int minimum) throws MessagingException {
        String value = parameter(config, name, defaultValue);
        try {
            return SettingsValues.wholeNumber(name, value, minimum);
        } catch (SettingsProblem problem) {
            throw refused(config, problem);
        }
    }

    /** A duration in the product's one grammar (James's), a bare number in milliseconds as James reads one. */
    private static Duration duration(MailetConfig config, String name, String defaultValue) throws MessagingException {
        String value = parameter(config, name, defaultValue);
        try {
            return Durations.parse(name, value, ChronoUnit.MILLIS, Duration.ZERO);
        } catch (SettingsProblem problem) {
            throw refused(config, problem);
        }
    }

    private static List<Duration> delays(MailetConfig config) throws MessagingException {
        String value = parameter(config, "retryDelays", DEFAULT_RETRY_DELAYS);
        List<Duration> delays = new ArrayList<>();
        for (String part : Arrays.stream(value.split(",")).map(String::strip).toList()) {
            try {
                delays.add(Durations.parse("retryDelays", part, ChronoUnit.MILLIS, Duration.ZERO));
            } catch (SettingsProblem problem) {
                throw new MessagingException(config.getMailetName() + ": parameter <retryDelays> has the delay '" + part
                    + "'; allowed values: durations such as '30 seconds', '2 minutes', '1 hour', comma separated");
            }
        }
        return delays;
    }

    /** The settings toolkit's problem, worded as a mailet parameter's: {@code CaptureToCrm: parameter <roundSize> has value ...}. */
    private static MessagingException refused(MailetConfig config, SettingsProblem problem) {
        return new MessagingException(config.getMailetName() + ": " + problem.getMessage().replaceFirst("^key '([^']+)'", "parameter <$1>"));
    }
}
