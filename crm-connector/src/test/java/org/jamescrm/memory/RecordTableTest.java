package org.jamescrm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The in-memory CRM's indexed records: a lookup by key finds what a scan would, after any change. */
class RecordTableTest {
    record Person(String id, String email, Optional<String> origin) {
    }

    private final RecordTable<Person> people = new RecordTable<>(Map.of(
        "email", person -> Optional.of(person.email()), "origin", Person::origin));

    @Test
    void aLookupShouldFindTheRecordsWithTheKeyInTheOrderTheyGotIt() {
        people.put("1", new Person("1", "carol@client.example", Optional.of("<a@x>")));
        people.put("2", new Person("2", "dave@client.example", Optional.empty()));
        people.put("3", new Person("3", "carol@client.example", Optional.of("<b@x>")));

        assertThat(people.where("email", "carol@client.example")).extracting(Person::id).containsExactly("1", "3");
        assertThat(people.first("origin", "<b@x>")).map(Person::id).contains("3");
        assertThat(people.where("origin", "<c@x>")).isEmpty();
        assertThat(people.values()).extracting(Person::id).containsExactly("1", "2", "3");
    }

    @Test
    void aReplacedRecordShouldBeFoundByItsNewKeysOnlyAndKeepItsPlace() {
        people.put("1", new Person("1", "carol@client.example", Optional.empty()));
        people.put("2", new Person("2", "carol@client.example", Optional.empty()));

        people.put("1", new Person("1", "carol@new.example", Optional.of("<a@x>")));

        assertThat(people.where("email", "carol@client.example")).extracting(Person::id).containsExactly("2");
        assertThat(people.where("email", "carol@new.example")).extracting(Person::id).containsExactly("1");
        assertThat(people.first("origin", "<a@x>")).map(Person::id).contains("1");
        assertThat(people.values()).extracting(Person::id).containsExactly("1", "2");
    }

    @Test
    void aRecordReplacedWithTheSameKeysShouldKeepItsPlaceInTheLookup() {
        people.put("1", new Person("1", "carol@client.example", Optional.empty()));
        people.put("2", new Person("2", "carol@client.example", Optional.empty()));

        people.put("1", new Person("1", "carol@client.example", Optional.empty()));

        assertThat(people.where("email", "carol@client.example")).extracting(Person::id).containsExactly("1", "2");
    }

    @Test
    void anUnknownIndexShouldBeNamed() {
        assertThatThrownBy(() -> people.where("phone", "1")).hasMessageContaining("phone");
    }
}
