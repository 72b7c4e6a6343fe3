package org.jamescrm.spi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from a text that leaves the product (a log line, the status route, a parked capture's
 * error, a refused settings change): every configured secret, as written and URL-encoded, and anything
 * shaped like a credential whatever its source, since a CRM's error text may echo the request that
 * carried it (a webhook path, a token request's form, an {@code Authorization} header).
 */
public final class SecretScrubber {
    /** What stands for a removed secret. */
    public static final String MARK = "***";
    /** Shorter configured values are not searched for: they would mark ordinary words and numbers. */
    private static final int SHORTEST_SECRET = 4;
    private static final List<Pattern> SHAPES = List.of(
        // a Bitrix24 inbound webhook: /rest/<user id>/<code>/
        Pattern.compile("(/rest/\\d+/)[A-Za-z0-9]{6,}"),
        // form fields, query parameters and JSON members that hold credentials
        Pattern.compile("(?i)((?:client_secret|refresh_token|access_token|id_token|api_?key|apikey|password|passwd|secret|token"
            + "|auth|code|signature|assertion)\"?\\s*[=:]\\s*\"?)[^\\s&\"',;}]+"),
        // Authorization: Bearer/Basic/Hmac values
        Pattern.compile("(?i)((?:Bearer|Basic|Hmac|Zoho-oauthtoken)\\s+)[A-Za-z0-9._~+/=:-]{6,}"),
        // headers that carry keys
        Pattern.compile("(?i)((?:X-Api-Key|X-Hmac-Authorization|Authorization)\\s*:\\s*)\\S+"));

    private final List<String> secrets;

    /** @param secrets the configured secret values */
    public SecretScrubber(Collection<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null && secret.strip().length() >= SHORTEST_SECRET) {
                forms.add(secret.strip());
                forms.add(URLEncoder.encode(secret.strip(), StandardCharsets.UTF_8));
            }
        }
        // longest first: a secret that contains another is removed whole
        this.secrets = forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** A scrubber for credential shapes only, for texts no configured secret is known for. */
    public static SecretScrubber shapesOnly() {
        return new SecretScrubber(List.of());
    }

    /** {@code text} without secrets; null stays null. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        for (String secret : secrets) {
            scrubbed = scrubbed.replace(secret, MARK);
        }
        for (Pattern shape : SHAPES) {
            Matcher matcher = shape.matcher(scrubbed);
            scrubbed = matcher.replaceAll(match -> Matcher.quoteReplacement(match.group(1) + MARK));
        }
        return scrubbed;
    }

    /**
     * The same failure with its message, and those of its causes, scrubbed: of the same class when it
     * is a {@link CrmException} (the capture queue retries or parks by its class), the causes replaced
     * by {@link ScrubbedCause}s that keep their class names and stack traces.
     */
    public CrmException scrub(CrmException failure) {
        Throwable cause = scrubCause(failure.getCause());
        CrmException scrubbed = failure instanceof CrmUnavailableException unavailable
            ? new CrmUnavailableException(scrub(failure.getMessage()), unavailable.retryAfter(), cause)
            : new CrmRejectedException(scrub(failure.getMessage()), cause);
        scrubbed.setStackTrace(failure.getStackTrace());
        return scrubbed;
    }

    /** A runtime failure as a {@link ScrubbedCause}: its class name, scrubbed message and stack trace. */
    public RuntimeException scrub(RuntimeException failure) {
        return (RuntimeException) scrubCause(failure);
    }

    private Throwable scrubCause(Throwable cause) {
        if (cause == null) {
            return null;
        }
        ScrubbedCause scrubbed = new ScrubbedCause(cause.getClass().getName(), scrub(cause.getMessage()), scrubCause(cause.getCause()));
        scrubbed.setStackTrace(cause.getStackTrace());
        return scrubbed;
    }

    /** A failure whose message was scrubbed; its text names the class of the original. */
    public static final class ScrubbedCause extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScrubbedCause(String originalClass, String message, Throwable cause) {
            super(originalClass + (message == null ? "" : ": " + message), cause);
        }
    }
}
