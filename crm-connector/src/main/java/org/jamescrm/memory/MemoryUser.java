package org.jamescrm.memory;

import java.util.Objects;

import org.jamescrm.model.EmailAddress;

/**
 * A CRM user of the embedded in-memory CRM ({@code <memory><user email="..." name="..."/>}).
 * Employees are matched to CRM users by e-mail address, as in every CRM.
 *
 * @param email the user's e-mail address
 * @param name  the user's full name
 */
public record MemoryUser(EmailAddress email, String name) {

    public MemoryUser {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
    }
}
