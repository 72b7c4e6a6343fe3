package org.jamescrm.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The record store: sequential ids per type, copies in and out, reset. */
class RecordStoreTest {
    final ObjectMapper mapper = new ObjectMapper();
    final RecordStore store = new RecordStore();

    private ObjectNode record(String name) {
        return mapper.createObjectNode().put("name", name);
    }

    @Test
    void idsShouldBeSequentialPerType() {
        assertThat(store.insert("contact", record("Ann"))).isEqualTo(1);
        assertThat(store.insert("contact", record("Bob"))).isEqualTo(2);
        assertThat(store.insert("deal", record("Offer"))).isEqualTo(1);
        store.put("contact", 10, record("Imported"));
        assertThat(store.insert("contact", record("Cid"))).isEqualTo(11);
        assertThat(store.ids("contact")).containsExactly(1L, 2L, 10L, 11L);
    }

    @Test
    void recordsShouldGoInAndComeOutAsCopies() {
        ObjectNode ann = record("Ann");
        long id = store.insert("contact", ann);
        ann.put("name", "changed outside");
        store.get("contact", id).orElseThrow().put("name", "changed by a reader");

        assertThat(store.get("contact", id).orElseThrow().get("name").asText()).isEqualTo("Ann");
    }

    @Test
    void updateFindAndRemoveShouldWorkOnTheStoredRecords() {
        long ann = store.insert("contact", record("Ann"));
        store.insert("contact", record("Bob"));

        assertThat(store.update("contact", ann, node -> node.put("email", "ann@client.example"))).isTrue();
        assertThat(store.update("contact", 99, node -> node)).isFalse();
        assertThat(store.find("contact", node -> node.has("email"))).extracting(node -> node.get("name").asText()).containsExactly("Ann");
        assertThat(store.remove("contact", ann)).isTrue();
        assertThat(store.count("contact")).isEqualTo(1);
        assertThat(store.insert("contact", record("Cid"))).as("a removed id is not given again").isEqualTo(3);
    }

    @Test
    void resetShouldForgetRecordsAndStartIdsAgain() {
        store.insert("contact", record("Ann"));

        store.reset();

        assertThat(store.list("contact")).isEmpty();
        assertThat(store.insert("contact", record("Bob"))).isEqualTo(1);
    }
}
