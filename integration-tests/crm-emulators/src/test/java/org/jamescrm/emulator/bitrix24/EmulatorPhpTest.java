package org.jamescrm.emulator.bitrix24;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The PHP semantics the emulator reads requests with: parse_str, intval, parameter names, json_encode of arrays. */
class EmulatorPhpTest {
    final ObjectMapper mapper = new ObjectMapper();

    private String parse(String query) {
        return Php.parseStr(query).toString();
    }

    @Test
    void bracketsShouldNestAndEmptyBracketsAppend() {
        assertThat(parse("fields[EMAIL][][VALUE]=a&fields[EMAIL][][VALUE]=b&fields[TITLE]=x"))
            .isEqualTo("{\"fields\":{\"EMAIL\":{\"0\":{\"VALUE\":\"a\"},\"1\":{\"VALUE\":\"b\"}},\"TITLE\":\"x\"}}");
        assertThat(parse("a[5]=x&a[]=y")).isEqualTo("{\"a\":{\"5\":\"x\",\"6\":\"y\"}}");
    }

    @Test
    void dotsAndSpacesInTheBaseNameShouldBecomeUnderscores() {
        assertThat(parse("a.b+c=1&d[e.f]=2")).isEqualTo("{\"a_b_c\":\"1\",\"d\":{\"e.f\":\"2\"}}");
    }

    @Test
    void anUnterminatedBracketShouldBecomeAnUnderscoreAndTextAfterABracketBeIgnored() {
        assertThat(parse("a[b=1")).isEqualTo("{\"a_b\":\"1\"}");
        assertThat(parse("a[b]c=1")).isEqualTo("{\"a\":{\"b\":\"1\"}}");
        assertThat(parse("a[b][c=1")).isEqualTo("{\"a\":{\"b\":\"1\"}}");
    }

    @Test
    void theFirstRawEqualsSignShouldSplitKeyAndValue() {
        assertThat(parse("filter[=ID]=5")).isEqualTo("{\"filter_\":\"ID]=5\"}");
        assertThat(parse("flag&x=")).isEqualTo("{\"flag\":\"\",\"x\":\"\"}");
    }

    @Test
    void urldecodeShouldDecodeOnlyValidEscapes() {
        assertThat(Php.urldecode("a+b%20c%41%zz%4")).isEqualTo("a b cA%zz%4");
        assertThat(Php.urldecode("%C5%BElut%C3%BD")).isEqualTo("žlutý");
        assertThat(parse("filter[%TITLE]=x")).as("%TI is no escape: kept").isEqualTo("{\"filter\":{\"%TITLE\":\"x\"}}");
    }

    @Test
    void intvalShouldReadALeadingInteger() throws Exception {
        assertThat(Php.intval("12abc")).isEqualTo(12);
        assertThat(Php.intval(" -3")).isEqualTo(-3);
        assertThat(Php.intval("abc")).isZero();
        assertThat(Php.intval(mapper.readTree("[1]"))).isEqualTo(1);
        assertThat(Php.intval(mapper.readTree("true"))).isEqualTo(1);
        assertThat(Php.intval(mapper.readTree("4.9"))).isEqualTo(4);
    }

    @Test
    void truthinessShouldFollowPhp() throws Exception {
        assertThat(Php.truthy(mapper.readTree("\"0\""))).isFalse();
        assertThat(Php.truthy(mapper.readTree("\"\""))).isFalse();
        assertThat(Php.truthy(mapper.readTree("\"false\""))).isTrue();
        assertThat(Php.truthy(mapper.readTree("[]"))).isFalse();
        assertThat(Php.truthy(mapper.readTree("1"))).isTrue();
    }

    @Test
    void parameterNamesShouldResolveLeniently() throws Exception {
        JsonNode params = mapper.readTree("{\"arFields\":{\"A\":1},\"Type\":\"EMAIL\",\"EntityType\":\"LEAD\"}");

        assertThat(Php.resolveArrayParam(params, "fields").toString()).isEqualTo("{\"A\":1}");
        assertThat(Php.resolveParam(params, "type").asText()).isEqualTo("EMAIL");
        assertThat(Php.resolveMultiPartParam(params, "entity", "type").asText()).isEqualTo("LEAD");
        assertThat(Php.resolveParam(params, "fields")).as("no Hungarian form for plain parameters").isNull();
    }

    @Test
    void arraysShouldEncodeLikeJsonEncode() {
        Map<String, JsonNode> sequential = new LinkedHashMap<>();
        sequential.put("0", Php.NODES.numberNode(1));
        sequential.put("1", Php.NODES.numberNode(2));
        Map<String, JsonNode> keyed = new LinkedHashMap<>();
        keyed.put("1", Php.NODES.numberNode(1));

        assertThat(Php.array(Map.of()).toString()).isEqualTo("[]");
        assertThat(Php.array(sequential).toString()).isEqualTo("[1,2]");
        assertThat(Php.array(keyed).toString()).isEqualTo("{\"1\":1}");
    }
}
