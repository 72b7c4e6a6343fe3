package org.jamescrm.espocrm;

import static org.jamescrm.espocrm.EspoCrmFields.TEAM;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmRejectedException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The EspoCRM teams a group mailbox's {@code <teams>} names, as ids for {@code teamsIds}. The settings
 * hold the team names an administrator sees in Administration &gt; Teams (a team's id is taken too):
 * the site's teams are read once with one list request ({@code GET Team}) and kept for
 * {@value #CACHE_MINUTES} minutes; a name not among them reads them again (a team just added), at most
 * once a minute, and is then refused with its name and the site's teams. Thread-safe.
 */
final class EspoCrmTeams {
    static final long CACHE_MINUTES = 10;
    private static final Duration CACHE = Duration.ofMinutes(CACHE_MINUTES);
    private static final Duration REREAD = Duration.ofMinutes(1);

    private final EspoCrmClient client;
    private final Clock clock;
    private List<Team> teams = List.of();
    private Instant readAt = Instant.MIN;

    /** A team of the site. */
    private record Team(String id, String name) {
    }

    EspoCrmTeams(EspoCrmClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The ids of the teams named (by name, case-insensitively, or by id), in their order; empty for none. */
    synchronized List<String> ids(List<String> names) throws CrmException {
        if (names.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        if (now.isAfter(readAt.plus(CACHE))) {
            read(now);
        }
        List<String> ids = new ArrayList<>();
        for (String name : names) {
            List<Team> found = named(name);
            if (found.isEmpty() && now.isAfter(readAt.plus(REREAD))) {
                read(now);
                found = named(name);
            }
            if (found.isEmpty()) {
                throw new CrmRejectedException("the team '" + name + "' of the group's <teams> is not an EspoCRM team (Administration > Teams"
                    + " lists " + (teams.isEmpty() ? "none" : teams.stream().map(Team::name).collect(Collectors.joining(", ")))
                    + "); name an existing team, or give the API user's role read access to Team");
            }
            if (found.size() > 1) {
                throw new CrmRejectedException("the group's <teams> names '" + name + "', the name of " + found.size()
                    + " EspoCRM teams; give one of their ids instead: " + found.stream().map(Team::id).collect(Collectors.joining(", ")));
            }
            if (!ids.contains(found.get(0).id())) {
                ids.add(found.get(0).id());
            }
        }
        return ids;
    }

    private List<Team> named(String name) {
        List<Team> byId = teams.stream().filter(team -> team.id().equals(name)).toList();
        return byId.isEmpty() ? teams.stream().filter(team -> team.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))).toList()
            : byId;
    }

    private void read(Instant now) throws CrmException {
        List<Team> read = new ArrayList<>();
        for (JsonNode team : client.list(TEAM, client.array(), "id,name")) {
            read.add(new Team(team.path("id").asText(), team.path("name").asText("").strip()));
        }
        teams = List.copyOf(read);
        readAt = now;
    }
}
