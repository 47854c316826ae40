package com.payments.dr.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An IPv4 network in CIDR notation, parsed strictly (host bits must be zero). */
public record Ipv4Cidr(long network, int prefixLength) {

    private static final Pattern CIDR = Pattern.compile(
            "(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
        if ((network & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("host bits set for /" + prefixLength);
        }
    }

    /** Parses {@code a.b.c.d/n}; returns {@code null} when the text is not a well-formed network. */
    public static Ipv4Cidr parseOrNull(String text) {
        Matcher m = CIDR.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                return null;
            }
            address = (address << 8) | octet;
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix > 32 || (address & ~mask(prefix)) != 0) {
            return null;
        }
        return new Ipv4Cidr(address, prefix);
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0L : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    public boolean contains(Ipv4Cidr other) {
        return other.prefixLength >= prefixLength && (other.network & mask(prefixLength)) == network;
    }

    public boolean overlaps(Ipv4Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** True for networks inside 10/8, 172.16/12 or 192.168/16. */
    public boolean isPrivate() {
        return parseOrNull("10.0.0.0/8").contains(this)
                || parseOrNull("172.16.0.0/12").contains(this)
                || parseOrNull("192.168.0.0/16").contains(this);
    }

    /** The {@code index}-th subnet {@code newBits} longer than this network (like Terraform's cidrsubnet). */
    public Ipv4Cidr subnet(int newBits, int index) {
        int prefix = prefixLength + newBits;
        if (prefix > 32 || index < 0 || index >= (1 << newBits)) {
            throw new IllegalArgumentException("no subnet " + index + " of /" + prefix + " in " + this);
        }
        return new Ipv4Cidr(network | ((long) index << (32 - prefix)), prefix);
    }

    @Override
    public String toString() {
        return ((network >> 24) & 0xFF) + "." + ((network >> 16) & 0xFF) + "." + ((network >> 8) & 0xFF) + "."
                + (network & 0xFF) + "/" + prefixLength;
    }
}
