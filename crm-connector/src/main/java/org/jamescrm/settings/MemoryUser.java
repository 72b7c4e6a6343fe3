package org.jamescrm.settings;

import org.jamescrm.model.EmailAddress;

/**
 * A CRM user of the embedded in-memory CRM ({@code <memory><user email="..." name="..."/>}).
 * Employees are matched to CRM users by e-mail address, as in every CRM.
 */
public record MemoryUser(EmailAddress email, String name) {
}
