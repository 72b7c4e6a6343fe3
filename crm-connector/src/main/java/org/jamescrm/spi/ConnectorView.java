package org.jamescrm.spi;

import java.util.Map;

/**
 * Implemented by a connector that can show what its CRM holds (the embedded in-memory CRM): the
 * WebAdmin routes serve it as JSON under {@code /crm/}{@link #viewName()}.
 */
public interface ConnectorView {

    /** The path segment of the view, e.g. {@code memory}. */
    String viewName();

    /** The contents as maps, lists, strings, numbers and booleans. */
    Map<String, Object> view();
}
