package org.jamescrm.zoho;

import org.jamescrm.spi.settings.SettingValue;

/**
 * The Zoho data centre of the organisation ({@code <zoho><dataCentre>}): it decides the accounts host
 * that refreshes the tokens (a refresh token works only at the data centre where it was made) and the
 * API domain used until a token answer names its own {@code api_domain}.
 */
public enum ZohoDataCentre implements SettingValue {
    US("https://accounts.zoho.com", "https://www.zohoapis.com"),
    EU("https://accounts.zoho.eu", "https://www.zohoapis.eu"),
    IN("https://accounts.zoho.in", "https://www.zohoapis.in"),
    AU("https://accounts.zoho.com.au", "https://www.zohoapis.com.au"),
    JP("https://accounts.zoho.jp", "https://www.zohoapis.jp"),
    CN("https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn"),
    CA("https://accounts.zohocloud.ca", "https://www.zohoapis.ca"),
    SA("https://accounts.zoho.sa", "https://www.zohoapis.sa");

    private final String accountsUrl;
    private final String apiUrl;

    ZohoDataCentre(String accountsUrl, String apiUrl) {
        this.accountsUrl = accountsUrl;
        this.apiUrl = apiUrl;
    }

    /** The accounts host of this data centre, e.g. {@code https://accounts.zoho.eu}. */
    public String accountsUrl() {
        return accountsUrl;
    }

    /** The API domain of this data centre, e.g. {@code https://www.zohoapis.eu}. */
    public String apiUrl() {
        return apiUrl;
    }

    @Override
    public String word() {
        return name();
    }
}
