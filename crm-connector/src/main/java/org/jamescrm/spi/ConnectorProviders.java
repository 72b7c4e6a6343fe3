package org.jamescrm.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The CRM providers found on the class path: the product's own (memory, bitrix24) and any other jar's
 * beside it. The settings select one of them by name.
 */
public final class ConnectorProviders {
    private final Map<String, CrmConnectorProvider> providers;

    /** @param providers the providers, each with its own name */
    public ConnectorProviders(List<CrmConnectorProvider> providers) {
        Map<String, CrmConnectorProvider> byName = new LinkedHashMap<>();
        for (CrmConnectorProvider provider : providers) {
            CrmConnectorProvider other = byName.putIfAbsent(provider.name(), provider);
            if (other != null) {
                throw new IllegalStateException("two CRM providers are named '" + provider.name() + "': "
                    + other.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        this.providers = Map.copyOf(byName);
    }

    /**
     * The providers the {@link ServiceLoader} finds with the class loader of the product's classes:
     * in James, the loader of {@code extensions-jars/}, so a connector jar placed there is found.
     */
    public static ConnectorProviders load() {
        List<CrmConnectorProvider> found = new ArrayList<>();
        ServiceLoader.load(CrmConnectorProvider.class, CrmConnectorProvider.class.getClassLoader()).forEach(found::add);
        return new ConnectorProviders(found);
    }

    /** The provider named {@code name}, if one was found. */
    public Optional<CrmConnectorProvider> find(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    /** The names of the providers found, sorted. */
    public List<String> names() {
        return providers.keySet().stream().sorted().toList();
    }
}
