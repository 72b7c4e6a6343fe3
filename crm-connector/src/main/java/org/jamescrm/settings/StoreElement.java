package org.jamescrm.settings;

import static org.jamescrm.spi.settings.SettingsValues.nonBlank;
import static org.jamescrm.spi.settings.SettingsValues.wholeNumber;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;

import org.jamescrm.spi.settings.Durations;
import org.jamescrm.spi.settings.SettingsElement;
import org.jamescrm.spi.settings.SettingsProblem;

/**
 * Reads {@code <store>}: {@code local}, or a {@code <postgresql>} element with the database:
 * <pre>
 * &lt;store&gt;
 *   &lt;postgresql&gt;
 *     &lt;url&gt;jdbc:postgresql://db.company.example:5432/james&lt;/url&gt;
 *     &lt;user&gt;james&lt;/user&gt;
 *     &lt;password&gt;${env:CRM_CAPTURE_DB_PASSWORD}&lt;/password&gt;
 *     &lt;poolSize&gt;4&lt;/poolSize&gt;
 *   &lt;/postgresql&gt;
 * &lt;/store&gt;
 * </pre>
 */
final class StoreElement {
    private static final String ALLOWED = "local, or a <postgresql> element with <url>, <user>, <password>, <poolSize>";
    private static final String URL_EXAMPLE = "jdbc:postgresql://db.company.example:5432/james";
    /** More connections than a round's statements could use only load the database. */
    private static final int MAX_POOL_SIZE = 64;

    private StoreElement() {
    }

    static StoreSettings read(SettingsElement store) {
        store.allowAttributes();
        if (store.children().isEmpty()) {
            String value = store.text();
            if (value.equals("local")) {
                return new StoreSettings.Local();
            }
            if (value.equals("postgresql")) {
                throw SettingsProblem.missing(store.key() + ".postgresql", "<postgresql> with <url>, <user> and <password> inside <store>");
            }
            throw SettingsProblem.badValue(store.key(), value, ALLOWED);
        }
        if (store.children().size() > 1 || !store.children().get(0).name().equals("postgresql")) {
            SettingsElement other = store.children().stream().filter(child -> !child.name().equals("postgresql")).findFirst()
                .orElseGet(() -> store.children().get(1));
            throw other.name().equals("postgresql") ? new SettingsProblem("key '" + other.key() + "' is given twice; allowed: once")
                : store.unknownChild(other, "postgresql");
        }
        return postgresql(store.children().get(0).allowAttributes());
    }

    private static StoreSettings.PostgreSql postgresql(SettingsElement postgresql) {
        String url = null;
        String user = null;
        String password = "";
        int poolSize = StoreSettings.PostgreSql.DEFAULT_POOL_SIZE;
        int keepDecisions = StoreSettings.PostgreSql.DEFAULT_KEEP_DECISIONS;
        Duration keepDecisionsFor = StoreSettings.PostgreSql.DEFAULT_KEEP_DECISIONS_FOR;
        Set<String> seen = new HashSet<>();
        for (SettingsElement element : postgresql.children()) {
            if (!seen.add(element.name())) {
                throw new SettingsProblem("key '" + element.key() + "' is given twice; allowed: once");
            }
            switch (element.name()) {
                case "url" -> url = jdbcUrl(element.key(), element.text());
                case "user" -> user = nonBlank(element.key(), element.text());
                case "password" -> password = element.secretText();
                case "poolSize" -> poolSize = poolSize(element.key(), element.text());
                case "keepDecisions" -> keepDecisions = wholeNumber(element.key(), element.text(), 1);
                case "keepDecisionsFor" -> keepDecisionsFor = Durations.parse(element.key(), element.text(), ChronoUnit.DAYS,
                    Duration.ofHours(1));
                default -> throw postgresql.unknownChild(element, "url", "user", "password", "poolSize", "keepDecisions",
                    "keepDecisionsFor");
            }
        }
        if (url == null) {
            throw SettingsProblem.missing(postgresql.key() + ".url", "a JDBC URL such as " + URL_EXAMPLE);
        }
        if (user == null) {
            throw SettingsProblem.missing(postgresql.key() + ".user", "the database user");
        }
        return new StoreSettings.PostgreSql(url, user, password, poolSize, keepDecisions, keepDecisionsFor);
    }

    /** A PostgreSQL JDBC URL; echoed without its parameters, which may carry a password. */
    private static String jdbcUrl(String key, String value) {
        if (!value.matches("jdbc:postgresql://[^\\s/?]+(/[^\\s?]*)?(\\?\\S*)?")) {
            int query = value.indexOf('?');
            throw SettingsProblem.badValue(key, query < 0 ? value : value.substring(0, query) + "?…", "a JDBC URL such as " + URL_EXAMPLE);
        }
        return value;
    }

    private static int poolSize(String key, String value) {
        int size = wholeNumber(key, value, 1);
        if (size > MAX_POOL_SIZE) {
            throw SettingsProblem.badValue(key, value, "a whole number from 1 to " + MAX_POOL_SIZE);
        }
        return size;
    }
}
