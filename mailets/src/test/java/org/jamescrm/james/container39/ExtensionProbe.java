package org.jamescrm.james.container39;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import org.apache.james.utils.ClassName;
import org.apache.james.utils.GuiceGenericLoader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The test's window into the product's singletons, without the product on the test class path: James's
 * extension loader instantiates the class from {@code extensions-jars/} with the injector of the
 * extension module (as it does for WebAdmin routes), and the JSON views the WebAdmin routes serve are
 * read by reflection:
 * <ul>
 * <li>{@code org.jamescrm.spi.CrmConnector}, a {@code ConnectorView}: {@code view()} is {@code GET /crm/memory}</li>
 * <li>{@code org.jamescrm.decisions.DecisionLog#toJson(String messageId)}: {@code GET /crm/decisions?messageId=}</li>
 * </ul>
 */
public final class ExtensionProbe {
    static final String CONNECTOR = "org.jamescrm.spi.CrmConnector";
    static final String DECISION_LOG = "org.jamescrm.decisions.DecisionLog";

    private final GuiceGenericLoader loader;
    private final ObjectMapper mapper = new ObjectMapper();

    public ExtensionProbe(GuiceGenericLoader loader) {
        this.loader = loader;
    }

    /** What the in-memory CRM holds: users, leads, contacts, companies, deals, activities. */
    public Map<String, Object> crm() {
        return mapper.convertValue(call(CONNECTOR, "view"), new TypeReference<>() { });
    }

    /** The decisions recorded for the message with this Message-ID, newest first. */
    public List<Map<String, Object>> decisions(String messageId) {
        return read((String) call(DECISION_LOG, "toJson", messageId), new TypeReference<>() { });
    }

    /** The JSON objects of an array value of a view. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Object array) {
        return (List<Map<String, Object>>) array;
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the extension answered no valid JSON: " + json, e);
        }
    }

    private Object call(String className, String methodName, String... arguments) {
        try {
            Object singleton = loader.instantiate(new ClassName(className));
            Class<?>[] types = new Class<?>[arguments.length];
            java.util.Arrays.fill(types, String.class);
            Method method = singleton.getClass().getMethod(methodName, types);
            return method.invoke(singleton, (Object[]) arguments);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(className + "#" + methodName + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The extension has no " + className + "#" + methodName + "(String x "
                + arguments.length + ")", e);
        }
    }
}
