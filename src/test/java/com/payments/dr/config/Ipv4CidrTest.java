package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Ipv4CidrTest {

    @Test
    void parsesAndPrintsBack() {
        assertEquals("172.16.8.0/22", Ipv4Cidr.parseOrNull("172.16.8.0/22").toString());
        assertEquals("0.0.0.0/0", Ipv4Cidr.parseOrNull("0.0.0.0/0").toString());
    }

    @Test
    void rejectsMalformedText() {
        assertNull(Ipv4Cidr.parseOrNull("10.0.0/16"));
        assertNull(Ipv4Cidr.parseOrNull("10.0.0.256/32"));
        assertNull(Ipv4Cidr.parseOrNull("10.0.0.0/40"));
        assertNull(Ipv4Cidr.parseOrNull("10.0.0.1/24"));
    }

    @Test
    void constructorGuardsItsInvariants() {
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Cidr(0, 33));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Cidr(0, -1));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Cidr(1, 24));
    }

    @Test
    void subnetsAreCarvedLikeTerraformCidrsubnet() {
        Ipv4Cidr vpc = Ipv4Cidr.parseOrNull("10.10.0.0/16");
        assertEquals("10.10.0.0/20", vpc.subnet(4, 0).toString());
        assertEquals("10.10.16.0/20", vpc.subnet(4, 1).toString());
        assertEquals("10.10.240.0/20", vpc.subnet(4, 15).toString());
        assertThrows(IllegalArgumentException.class, () -> vpc.subnet(4, 16));
        assertThrows(IllegalArgumentException.class, () -> vpc.subnet(4, -1));
        assertThrows(IllegalArgumentException.class, () -> vpc.subnet(17, 0));
    }

    @Test
    void overlapAndPrivacy() {
        Ipv4Cidr a = Ipv4Cidr.parseOrNull("10.10.0.0/16");
        assertTrue(a.overlaps(Ipv4Cidr.parseOrNull("10.10.5.0/24")));
        assertTrue(Ipv4Cidr.parseOrNull("10.10.5.0/24").overlaps(a));
        assertFalse(a.overlaps(Ipv4Cidr.parseOrNull("10.20.0.0/16")));
        assertTrue(Ipv4Cidr.parseOrNull("172.31.0.0/16").isPrivate());
        assertTrue(Ipv4Cidr.parseOrNull("192.168.1.0/24").isPrivate());
        assertFalse(Ipv4Cidr.parseOrNull("172.32.0.0/16").isPrivate());
        assertFalse(Ipv4Cidr.parseOrNull("0.0.0.0/0").isPrivate());
    }
}
