package org.jamescrm.settings;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jamescrm.spi.settings.SettingsProblem;

/**
 * Networks whose unauthenticated submissions count as an employee's ({@code <trustedNetworks>}), for
 * manual saves only: a webmail or an application server that submits without SMTP AUTH. Empty by
 * default: a manual save then needs SMTP AUTH. IP literals and CIDR ranges only, never host names, so
 * checking an address never asks the DNS.
 *
 * @param ranges the ranges, e.g. {@code 10.1.0.0/16}, {@code ::1/128}
 */
public record TrustedNetworks(List<Range> ranges) {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    public TrustedNetworks {
        ranges = List.copyOf(ranges);
    }

    /** No trusted network. */
    public static TrustedNetworks none() {
        return new TrustedNetworks(List.of());
    }

    /**
     * The ranges of {@code value}, comma separated.
     *
     * @throws SettingsProblem naming {@code key} when a part is not an IP address or CIDR range
     */
    public static TrustedNetworks parse(String key, String value) {
        List<Range> ranges = Arrays.stream(value.split(",")).map(String::strip).filter(part -> !part.isEmpty())
            .map(part -> Range.parse(key, part)).toList();
        return new TrustedNetworks(ranges);
    }

    /** Whether {@code address} (an IP literal) is in one of the ranges; false for anything else. */
    public boolean contains(String address) {
        return literal(address).map(ip -> ranges.stream().anyMatch(range -> range.contains(ip))).orElse(false);
    }

    private static Optional<InetAddress> literal(String address) {
        String ip = address.strip();
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!IP_LITERAL.matcher(ip).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(ip)); // a literal: no DNS query
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * One range: an address and the number of leading bits that must match.
     *
     * @param network the network address
     * @param bits    the prefix length
     */
    public record Range(InetAddress network, int bits) {

        static Range parse(String key, String written) {
            String[] parts = written.split("/", 2);
            Optional<InetAddress> address = literal(parts[0]);
            if (address.isPresent()) {
                int width = address.get().getAddress().length * 8;
                try {
                    int bits = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : width;
                    if (bits >= 0 && bits <= width) {
                        return new Range(address.get(), bits);
                    }
                } catch (NumberFormatException e) {
                    // answered below
                }
            }
            throw SettingsProblem.badValue(key, written, "IP addresses or CIDR ranges, comma separated, e.g. 10.1.0.0/16, ::1");
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            byte[] own = network.getAddress();
            if (candidate.length != own.length) {
                return false;
            }
            int width = own.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(width - bits).subtract(BigInteger.ONE));
            return new BigInteger(1, candidate).and(mask).equals(new BigInteger(1, own).and(mask));
        }
    }
}
