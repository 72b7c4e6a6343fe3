package org.jamescrm.james.container39;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

import org.apache.james.dnsservice.api.DNSService;

/** No DNS in the test: every name is the loopback address, no MX or TXT record exists. */
final class LoopbackDns implements DNSService {
    @Override
    public Collection<String> findMXRecords(String hostname) {
        return List.of();
    }

    @Override
    public Collection<String> findTXTRecords(String hostname) {
        return List.of();
    }

    @Override
    public Collection<InetAddress> getAllByName(String host) {
        return List.of(InetAddress.getLoopbackAddress());
    }

    @Override
    public InetAddress getByName(String host) {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public InetAddress getLocalHost() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public String getHostName(InetAddress address) {
        return "localhost";
    }
}
