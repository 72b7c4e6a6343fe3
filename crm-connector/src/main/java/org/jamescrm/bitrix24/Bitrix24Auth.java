package org.jamescrm.bitrix24;

import java.util.Objects;

/** How the connector authenticates to a Bitrix24 portal. {@code toString()} never shows a secret. */
public sealed interface Bitrix24Auth {

    /**
     * An inbound webhook: {@code {portal}/rest/{userId}/{code}/}. The webhook runs with the permissions
     * of the user who created it; it needs the scopes {@code crm} and {@code user_basic}.
     */
    record Webhook(int userId, String code) implements Bitrix24Auth {

        public Webhook {
            Objects.requireNonNull(code, "code");
        }

        @Override
        public String toString() {
            return "Webhook[userId=" + userId + ", code=***]";
        }
    }

    /**
     * An OAuth 2.0 application with a refresh token; access tokens are refreshed once when the portal
     * says {@code expired_token}, never before every call.
     *
     * @param tokenEndpoint the OAuth server's token URL ({@code https://oauth.bitrix.info/oauth/token/})
     */
    record OAuth(String clientId, String clientSecret, String refreshToken, String tokenEndpoint) implements Bitrix24Auth {

        public OAuth {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
            Objects.requireNonNull(refreshToken, "refreshToken");
            Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        }

        @Override
        public String toString() {
            return "OAuth[clientId=" + clientId + ", clientSecret=***, refreshToken=***, tokenEndpoint=" + tokenEndpoint + "]";
        }
    }
}
