package org.jamescrm.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The PHP bracket form of batch commands, as PHP's parse_str reads it back. */
class PhpQueryTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void nestedValuesShouldBeBracketedAndEncodedOnce() {
        ObjectNode params = mapper.createObjectNode();
        params.putObject("fields").putArray("EMAIL").addObject().put("VALUE", "a+b@client.example");

        assertThat(PhpQuery.encode(params)).isEqualTo("fields[EMAIL][0][VALUE]=a%2Bb%40client.example");
    }

    @Test
    void filterKeysWithOperatorsShouldSurviveParseStr() {
        ObjectNode params = mapper.createObjectNode();
        ObjectNode filter = params.putObject("filter");
        filter.put("=ID", "5");
        filter.put("%TITLE", "41 chairs");

        assertThat(PhpQuery.encode(params)).isEqualTo("filter[%3DID]=5&filter[%25TITLE]=41%20chairs");
    }

    @Test
    void referencesToEarlierCommandsShouldStayReadable() {
        ObjectNode params = mapper.createObjectNode();
        params.put("id", "$result[add]");

        assertThat(PhpQuery.encode(params)).isEqualTo("id=$result[add]");
    }
}
