package org.jamescrm.emulator.bitrix24;

/**
 * How a stored field is written, compared in filters and ordered: the portal compares integer
 * columns as numbers, dates as instants and strings case-insensitively (MySQL {@code _ci} collations).
 */
enum FieldKind {
    /** An integer id or enumeration, stored as a string ({@code "ID": "17"}). */
    INT,
    /** Free text. */
    STRING,
    /** A {@code Y}/{@code N} flag. */
    CHAR,
    /** A date-time, ISO-8601 with the portal's offset; empty as {@code ""}. */
    DATETIME,
    /** A date, written as midnight ISO-8601 with the portal's offset. */
    DATE,
    /** Money, written with two decimals ({@code "0.00"}). */
    MONEY,
    /** A structure stored as-is (activity {@code SETTINGS}); not filterable. */
    OBJECT,
    /** A multifield ({@code EMAIL}, {@code PHONE}, ...): filters match any exact value. */
    MULTI,
    /** A JSON boolean ({@code user.get} {@code ACTIVE}). */
    BOOLEAN,
    /** A list of integers ({@code UF_DEPARTMENT}). */
    INT_LIST
}
