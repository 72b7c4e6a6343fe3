package org.jamescrm.spi;

import java.util.Objects;

import org.jamescrm.model.EmailAddress;

/** A user of the CRM, matched to an employee by e-mail address. */
public record CrmUser(String id, EmailAddress email, String name) {

    public CrmUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
    }
}
