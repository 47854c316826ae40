package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DynamoDB Local as the tests run it: on loopback only, never on the machine's other addresses. */
class TestDynamoTest {

    @Test
    void theEngineListensOnLoopbackOnly() throws Exception {
        TestDynamo engine = TestDynamo.shared();
        assertEquals(List.of(TestDynamo.LOOPBACK), engine.connectorHosts());
        int port = engine.endpoint().getPort();
        // reachable on loopback (the tables are listed), so a refusal elsewhere is the binding's doing
        assertTrue(engine.client().listTables().tableNames() != null);
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && nic.isUp()) {
                    try (Socket socket = new Socket()) {
                        assertThrows(IOException.class, () -> socket.connect(new InetSocketAddress(address, port), 1000),
                                "port " + port + " must not answer on " + address);
                    }
                }
            }
        }
    }
}
